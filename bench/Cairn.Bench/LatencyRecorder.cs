using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Cairn.Bench;

/// <summary>
/// Collects request latencies as Stopwatch ticks. Not thread-safe: give each client its own
/// recorder and <see cref="Merge"/> them afterwards.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _ticks;

    public LatencyRecorder(int capacity = 1024) => _ticks = new List<long>(capacity);

    public int Count => _ticks.Count;

    public void Record(long ticks) => _ticks.Add(ticks);

    public static LatencyRecorder Merge(IEnumerable<LatencyRecorder> recorders)
    {
        var all = recorders.ToList();
        var merged = new LatencyRecorder(all.Sum(r => r.Count));
        foreach (var r in all)
        {
            merged._ticks.AddRange(r._ticks);
        }
        return merged;
    }

    public LatencySummary Summarize()
    {
        if (_ticks.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0);
        }
        var sorted = _ticks.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length,
            ToMs(Percentile(sorted, 50)),
            ToMs(Percentile(sorted, 95)),
            ToMs(Percentile(sorted, 99)),
            ToMs(sorted.Average(t => (double)t)),
            ToMs(sorted[0]),
            ToMs(sorted[^1]));
    }

    /// <summary>Nearest-rank percentile of an ascending array.</summary>
    private static long Percentile(long[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double ToMs(double ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}

public readonly record struct LatencySummary(int Count, double P50, double P95, double P99, double Mean, double Min, double Max)
{
    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["p50_ms"] = Math.Round(P50, 3),
        ["p95_ms"] = Math.Round(P95, 3),
        ["p99_ms"] = Math.Round(P99, 3),
        ["mean_ms"] = Math.Round(Mean, 3),
        ["min_ms"] = Math.Round(Min, 3),
        ["max_ms"] = Math.Round(Max, 3),
    };
}
