using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Ui;

/// <summary>Times repeated browser actions and summarises them as p50 / p95 / max milliseconds.</summary>
public sealed class Timings(string name)
{
    private readonly List<double> _milliseconds = [];

    public async Task MeasureAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        _milliseconds.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    /// <summary>Records a time measured elsewhere (in the browser, from navigation start).</summary>
    public void Record(double milliseconds) => _milliseconds.Add(milliseconds);

    public double Percentile(double p)
    {
        var sorted = _milliseconds.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    public JsonObject Summary(double? targetP95 = null)
    {
        var summary = new JsonObject
        {
            ["name"] = name,
            ["count"] = _milliseconds.Count,
            ["p50_ms"] = Math.Round(Percentile(0.50), 1),
            ["p95_ms"] = Math.Round(Percentile(0.95), 1),
            ["max_ms"] = Math.Round(_milliseconds.Max(), 1),
        };
        if (targetP95 is { } target)
        {
            summary["target_p95_ms"] = target;
            summary["pass"] = Percentile(0.95) <= target;
        }

        return summary;
    }

    public static void Progress(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
