using System.Data.Common;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Reads a metric's points straight off the metrics table in primary-key order (run, key, step, timestamp):
/// the hot read path behind get-history and charts, kept out of EF's materialiser.
/// </summary>
public static class MetricHistory
{
    public readonly record struct Point(long Step, long Timestamp, double Value);

    public static async Task<int?> KeyIdAsync(CairnDb db, string key, CancellationToken cancellationToken) =>
        await db.MetricKeys.AsNoTracking().Where(k => k.Name == key).Select(k => (int?)k.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Points of one run and key with step in [<paramref name="fromStep"/>, <paramref name="toStep"/>], skipping <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    public static async Task<List<Point>> ReadAsync(
        CairnDb db, int runId, int keyId, long fromStep, long toStep, int offset, int limit, CancellationToken cancellationToken)
    {
        var points = new List<Point>();
        await foreach (var point in StreamAsync(db, runId, keyId, fromStep, toStep, offset, limit, cancellationToken))
        {
            points.Add(point);
        }

        return points;
    }

    /// <summary>The same points as <see cref="ReadAsync"/>, yielded as they are read, for writing straight to a response.</summary>
    public static async IAsyncEnumerable<Point> StreamAsync(
        CairnDb db, int runId, int keyId, long fromStep, long toStep, int offset, int limit,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT step, timestamp, value, is_nan FROM metrics
                WHERE run_id = $run AND key_id = $key AND step >= $from AND step <= $to
                ORDER BY step, timestamp, value LIMIT $limit OFFSET $offset
                """;
            Add(command, "$run", runId);
            Add(command, "$key", keyId);
            Add(command, "$from", fromStep);
            Add(command, "$to", toStep);
            Add(command, "$limit", limit);
            Add(command, "$offset", offset);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (reader.Read())
            {
                yield return new Point(reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(3) ? double.NaN : reader.GetDouble(2));
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
