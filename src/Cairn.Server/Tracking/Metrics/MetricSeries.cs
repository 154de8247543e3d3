using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Metrics;

// Placeholder until the summary tier lands: reads every point and keeps first/min/max/last per bucket.
public readonly record struct SeriesPoint(long Step, long Timestamp, double Value);

public sealed record MetricSeriesResult(string Key, long TotalPoints, bool Downsampled, IReadOnlyList<SeriesPoint> Points);

public static class MetricSeries
{
    public static async Task<MetricSeriesResult?> ReadAsync(CairnDb db, string runUuid, string metricKey, int maxPoints, CancellationToken cancellationToken)
    {
        var runId = await db.Runs.AsNoTracking().Where(r => r.Uuid == runUuid).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken);
        if (runId is null)
        {
            return null;
        }

        var keyId = await MetricHistory.KeyIdAsync(db, metricKey, cancellationToken);
        if (keyId is null)
        {
            return new MetricSeriesResult(metricKey, 0, false, []);
        }

        var points = await MetricHistory.ReadAsync(db, runId.Value, keyId.Value, long.MinValue, long.MaxValue, 0, int.MaxValue, cancellationToken);
        var all = points.Select(p => new SeriesPoint(p.Step, p.Timestamp, p.Value)).ToList();
        if (all.Count <= maxPoints)
        {
            return new MetricSeriesResult(metricKey, all.Count, false, all);
        }

        var buckets = maxPoints / 4;
        var result = new List<SeriesPoint>();
        for (var b = 0; b < buckets; b++)
        {
            var from = (int)((long)all.Count * b / buckets);
            var to = (int)((long)all.Count * (b + 1) / buckets);
            var slice = all.GetRange(from, to - from).Where(p => !double.IsNaN(p.Value)).ToList();
            if (slice.Count == 0)
            {
                continue;
            }

            var min = slice.MinBy(p => p.Value);
            var max = slice.MaxBy(p => p.Value);
            result.AddRange(new[] { slice[0], min, max, slice[^1] }.Distinct().OrderBy(p => p.Step).ThenBy(p => p.Timestamp));
        }

        return new MetricSeriesResult(metricKey, all.Count, true, result);
    }
}
