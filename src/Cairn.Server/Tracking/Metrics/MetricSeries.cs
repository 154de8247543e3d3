using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>One point of a chart series.</summary>
public readonly record struct SeriesPoint(long Step, long Timestamp, double Value);

/// <summary>A metric of one run as a chart draws it: <see cref="TotalPoints"/> stored, <see cref="Points"/> returned.</summary>
public sealed record MetricSeriesResult(string Key, long TotalPoints, bool Downsampled, IReadOnlyList<SeriesPoint> Points);

/// <summary>
/// Reads a metric for a chart: every point when there are at most <c>maxPoints</c>, otherwise an M4 down-sample
/// (the first, min, max and last point of each of <c>maxPoints / 4</c> consecutive stretches), so the series' global
/// min and max are always drawn. The stretches are built from <see cref="MetricSummary"/> blocks, a thousand rows for
/// a million-step series; only when a series has fewer blocks than stretches (many points at few steps) are the raw
/// points read and cut into stretches in memory.
/// </summary>
public static class MetricSeries
{
    public const int DefaultMaxPoints = 1000;
    public const int FewestMaxPoints = 10;
    public const int MostMaxPoints = 10_000;
    private const int PointsPerBucket = 4;

    /// <summary>The series, or null when the run does not exist; a key never logged gives an empty series.</summary>
    public static async Task<MetricSeriesResult?> ReadAsync(CairnDb db, string runUuid, string metricKey, int maxPoints, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, PointsPerBucket);
        // One read transaction, so the summaries and any raw points come from the same snapshot.
        await using var snapshot = await db.BeginSnapshotAsync(cancellationToken);
        return await ReadSnapshotAsync(db, runUuid, metricKey, maxPoints, cancellationToken);
    }

    private static async Task<MetricSeriesResult?> ReadSnapshotAsync(CairnDb db, string runUuid, string metricKey, int maxPoints, CancellationToken cancellationToken)
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

        var blocks = await db.MetricSummaries.AsNoTracking()
            .Where(s => s.RunId == runId && s.KeyId == keyId)
            .OrderBy(s => s.Block)
            .ToListAsync(cancellationToken);
        var total = blocks.Sum(b => b.Count);
        if (total <= maxPoints)
        {
            return new MetricSeriesResult(metricKey, total, false, await ReadPointsAsync(db, runId.Value, keyId.Value, cancellationToken));
        }

        var buckets = maxPoints / PointsPerBucket;
        var points = blocks.Count >= buckets
            ? Downsample(blocks, buckets, PointSummary.Of)
            : Downsample(await ReadPointsAsync(db, runId.Value, keyId.Value, cancellationToken), buckets, PointSummary.Of);
        return new MetricSeriesResult(metricKey, total, true, points);
    }

    private static async Task<List<SeriesPoint>> ReadPointsAsync(CairnDb db, int runId, int keyId, CancellationToken cancellationToken)
    {
        var points = await MetricHistory.ReadAsync(db, runId, keyId, long.MinValue, long.MaxValue, 0, int.MaxValue, cancellationToken);
        return points.ConvertAll(p => new SeriesPoint(p.Step, p.Timestamp, p.Value));
    }

    /// <summary>Cuts <paramref name="parts"/> (in step order) into <paramref name="buckets"/> consecutive runs of equal length and keeps the M4 points of each.</summary>
    private static List<SeriesPoint> Downsample<T>(List<T> parts, int buckets, Func<T, PointSummary> summarize)
    {
        var points = new List<SeriesPoint>(buckets * PointsPerBucket);
        for (var bucket = 0; bucket < buckets; bucket++)
        {
            var summary = new PointSummary();
            var end = (int)((long)(bucket + 1) * parts.Count / buckets);
            for (var i = (int)((long)bucket * parts.Count / buckets); i < end; i++)
            {
                summary.Add(summarize(parts[i]));
            }

            summary.AppendM4(points);
        }

        return points;
    }
}
