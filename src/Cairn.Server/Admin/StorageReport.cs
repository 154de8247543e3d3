using Cairn.Server.Data;
using Cairn.Server.Hosting;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Admin;

/// <summary>
/// <c>GET /api/v1/admin/storage</c>: how many metric points the store holds and what they cost on disk, so a user
/// can size a database and the benchmark can measure bytes per point on either store.
/// </summary>
public static class StorageReport
{
    /// <summary><see cref="MetricPointBytes"/> and <see cref="BytesPerPoint"/> are null on SQLite, which cannot measure one table; <see cref="DatabaseBytes"/> is the whole database.</summary>
    public sealed record Report(string Store, long MetricPoints, long? MetricPointBytes, double? BytesPerPoint, long DatabaseBytes);

    public static async Task<Report> MeasureAsync(CairnDb db, DatabaseConnection database, CancellationToken cancellationToken)
    {
        var points = await db.MetricSummaries.SumAsync(s => s.Count, cancellationToken);
        var bytes = await db.MetricPointBytesAsync(cancellationToken);
        var store = database.Provider == DatabaseProvider.Postgres ? "postgresql" : "sqlite";
        var perPoint = points == 0 || bytes is null ? (double?)null : Math.Round((double)bytes.Value / points, 1);
        return new Report(store, points, bytes, perPoint, await db.DatabaseBytesAsync(cancellationToken));
    }
}
