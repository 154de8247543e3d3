using System.Diagnostics;

namespace Cairn.Bench;

/// <summary>Result of a closed-loop load phase.</summary>
public sealed record LoadResult(long Requests, double ElapsedSeconds, LatencySummary Latency)
{
    public double RequestsPerSecond => Requests / ElapsedSeconds;
}

/// <summary>
/// Closed-loop load: N clients, each sends one request, waits for the answer, sends the next,
/// until the duration is over. In-flight requests at the deadline are completed and counted;
/// elapsed time runs until the last one is answered.
/// </summary>
public static class LoadRunner
{
    public static async Task<LoadResult> RunAsync(
        IReadOnlyList<Func<CancellationToken, Task>> clients, TimeSpan duration, CancellationToken ct)
    {
        var recorders = clients.Select(_ => new LatencyRecorder(16 * 1024)).ToArray();
        var start = Stopwatch.GetTimestamp();
        var end = start + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        await Workers.RunAsync(clients.Count, async (i, token) =>
        {
            var send = clients[i];
            var recorder = recorders[i];
            while (Stopwatch.GetTimestamp() < end)
            {
                token.ThrowIfCancellationRequested();
                var t0 = Stopwatch.GetTimestamp();
                await send(token);
                recorder.Record(Stopwatch.GetTimestamp() - t0);
            }
        }, ct);
        var elapsed = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var merged = LatencyRecorder.Merge(recorders);
        return new LoadResult(merged.Count, elapsed, merged.Summarize());
    }
}
