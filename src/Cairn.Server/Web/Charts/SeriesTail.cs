using Cairn.Server.Data;
using Cairn.Server.Tracking.Metrics;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Charts;

/// <summary>The points a running run logged after the ones a chart already draws: those at later steps, in step order.</summary>
public static class SeriesTail
{
    public static async Task<List<SeriesPoint>> ReadAsync(CairnDb db, string runUuid, string metricKey, long? afterStep, int limit, CancellationToken cancellationToken)
    {
        var runId = await db.Runs.AsNoTracking().Where(r => r.Uuid == runUuid).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken);
        var keyId = await MetricHistory.KeyIdAsync(db, metricKey, cancellationToken);
        if (runId is null || keyId is null || afterStep == long.MaxValue)
        {
            return [];
        }

        var from = afterStep is { } step ? step + 1 : long.MinValue;
        var points = await MetricHistory.ReadAsync(db, runId.Value, keyId.Value, from, long.MaxValue, 0, limit, cancellationToken);
        return points.ConvertAll(p => new SeriesPoint(p.Step, p.Timestamp, p.Value));
    }
}
