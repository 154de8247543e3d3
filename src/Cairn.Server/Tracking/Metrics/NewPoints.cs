using Cairn.Server.Tracking.Runs;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>A point of one metric of a run, as PostgreSQL's writer handles it.</summary>
public readonly record struct KeyedPoint(int KeyId, long Step, long Timestamp, double Value)
{
    public long Block => Step >> MetricSummary.BlockShift;

    /// <summary>What makes two points the same point (MLflow's key: step, timestamp, value, NaN-ness): -0 is 0, every NaN is one NaN.</summary>
    public (int, long, long, long) Identity =>
        (KeyId, Step, Timestamp, double.IsNaN(Value) ? long.MinValue : BitConverter.DoubleToInt64Bits(Value == 0 ? 0.0 : Value));

    /// <summary>get-history's order within a key: step, timestamp, then value with NaN read as 0 and placed after a real 0.</summary>
    public static int Compare(KeyedPoint a, KeyedPoint b) =>
        a.KeyId != b.KeyId ? a.KeyId.CompareTo(b.KeyId) : HistoryOrder.Compare(a.Step, a.Timestamp, a.Value, b.Step, b.Timestamp, b.Value);
}

/// <summary>get-history's order, on every store: step, timestamp, value (NaN as 0), and NaN after a real 0.</summary>
public static class HistoryOrder
{
    public static int Compare(long stepA, long timestampA, double valueA, long stepB, long timestampB, double valueB)
    {
        if (stepA != stepB)
        {
            return stepA.CompareTo(stepB);
        }

        if (timestampA != timestampB)
        {
            return timestampA.CompareTo(timestampB);
        }

        var (nanA, nanB) = (double.IsNaN(valueA), double.IsNaN(valueB));
        var byValue = (nanA ? 0.0 : valueA).CompareTo(nanB ? 0.0 : valueB);
        return byValue != 0 ? byValue : nanA.CompareTo(nanB);
    }
}

/// <summary>
/// Sorts out which points of a write are new. A point whose (step, timestamp) comes after its key's latest point
/// cannot be stored yet, the usual case for a training loop; the others are candidates, checked against the stored
/// segments of their blocks. Points sent twice in one write count once.
/// </summary>
public sealed class NewPoints
{
    private readonly HashSet<(int, long, long, long)> _seen = [];

    public List<KeyedPoint> Sure { get; } = [];
    public List<KeyedPoint> Candidates { get; } = [];

    /// <summary>Splits the write's points, given each key's latest stored (step, timestamp).</summary>
    public static NewPoints Of(RunWrite write, int[] keyIds, IReadOnlyDictionary<int, (long Step, long Timestamp)> latest)
    {
        var points = new NewPoints();
        for (var i = 0; i < write.Metrics.Count; i++)
        {
            var metric = write.Metrics[i];
            var point = new KeyedPoint(keyIds[i], metric.Step ?? 0, metric.Timestamp!.Value, metric.Value!.Value);
            if (!points._seen.Add(point.Identity))
            {
                continue;
            }

            var isAfter = !latest.TryGetValue(point.KeyId, out var last)
                || point.Step > last.Step || (point.Step == last.Step && point.Timestamp > last.Timestamp);
            (isAfter ? points.Sure : points.Candidates).Add(point);
        }

        return points;
    }

    /// <summary>The (key, block) pairs the candidates fall in: the stored segments to check them against.</summary>
    public (int[] Keys, long[] Blocks) CandidateBlocks()
    {
        var blocks = Candidates.Select(p => (p.KeyId, p.Block)).Distinct().ToArray();
        return ([.. blocks.Select(b => b.KeyId)], [.. blocks.Select(b => b.Block)]);
    }

    /// <summary>The new points in get-history's order: the sure ones and the candidates not in <paramref name="stored"/>.</summary>
    public KeyedPoint[] Resolve(IReadOnlySet<(int, long, long, long)> stored)
    {
        var result = Sure.Concat(Candidates.Where(p => !stored.Contains(p.Identity))).ToArray();
        Array.Sort(result, KeyedPoint.Compare);
        return result;
    }
}
