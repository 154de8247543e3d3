using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario 4: one run, metric "loss" with 100,000 points (steps 0..99,999) logged as 100
/// log-batch requests of 1000; then GET metrics/get-history 3 warm-up + 30 timed times.
/// Pages (next_page_token) are followed; the time of all pages counts as one call.
/// </summary>
public static class HistoryScenario
{
    public const int Points = 100_000;
    public const int WarmupCalls = 10;
    public const int TimedCalls = 30;
    public const double TargetP95Ms = 150;
    public const double ReferenceMs = 3200;

    public static async Task<JsonObject> RunAsync(MlflowHttp http, CancellationToken ct)
    {
        var experimentName = $"bench-history-{MlflowSetup.Stamp()}";
        var experimentId = await MlflowSetup.CreateExperimentAsync(http, experimentName, ct);
        var runId = await MlflowSetup.CreateRunAsync(http, experimentId, "history-100k", ct);
        var setup = Stopwatch.StartNew();
        await MlflowSetup.LogStepsAsync(http, runId, "loss", Points, step => (1.0 / (1 + (step / 1000.0))) + (Random.Shared.NextDouble() * 0.01), ct);
        var setupSeconds = setup.Elapsed.TotalSeconds;
        ScenarioReport.Progress($"history: logged {Points} points in {setupSeconds:0.0} s; {WarmupCalls} warm-up + {TimedCalls} timed reads");

        var recorder = new LatencyRecorder(TimedCalls);
        var pages = 0;
        var bytes = 0L;
        for (var call = 0; call < WarmupCalls + TimedCalls; call++)
        {
            var (ticks, pageCount, size) = await ReadHistoryAsync(http, runId, call, ct);
            if (call >= WarmupCalls)
            {
                recorder.Record(ticks);
            }
            (pages, bytes) = (pageCount, size);
        }

        var latency = recorder.Summarize();
        var result = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["run_id"] = runId,
            ["points"] = Points,
            ["setup_s"] = Math.Round(setupSeconds, 2),
            ["pages_per_call"] = pages,
            ["response_bytes_per_call"] = bytes,
            ["points_verified"] = true,
            ["warmup_calls"] = WarmupCalls,
            ["latency"] = latency.ToJson(),
        };
        return ScenarioReport.LowerIsBetter(result, "p95_ms", latency.P95, TargetP95Ms, ReferenceMs);
    }

    private static readonly ThreadLocal<MemoryStream> Buffers = new(() => new MemoryStream(16 << 20));

    /// <summary>One logical get-history call (all pages); returns summed HTTP time, pages, bytes.</summary>
    private static async Task<(long Ticks, int Pages, long Bytes)> ReadHistoryAsync(
        MlflowHttp http, string runId, int call, CancellationToken ct)
    {
        var buffer = Buffers.Value!;
        var seen = new bool[Points];
        int total = 0, pages = 0;
        long ticks = 0, bytes = 0;
        string? token = null;
        do
        {
            List<(string, string)> query = [("run_id", runId), ("metric_key", "loss")];
            if (token is not null)
            {
                query.Add(("page_token", token));
            }
            // Collect the previous call's garbage now, so a client GC pause is not timed as server latency.
            GC.Collect();
            var start = Stopwatch.GetTimestamp();
            var length = await http.GetIntoAsync("metrics/get-history", query, buffer, ct);
            ticks += Stopwatch.GetTimestamp() - start;
            bytes += length;
            var body = buffer.GetBuffer().AsMemory(0, length);
            if (++pages > Points)
            {
                throw new MlflowException($"metrics/get-history call #{call}: pagination does not end");
            }
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("metrics", out var metrics))
            {
                foreach (var m in metrics.EnumerateArray())
                {
                    var step = MlflowSetup.ReadInt64(m.GetProperty("step"));
                    if (m.GetProperty("key").GetString() != "loss" || step < 0 || step >= Points || seen[step])
                    {
                        throw new MlflowException($"metrics/get-history call #{call}: unexpected or duplicate point {m.GetRawText()}");
                    }
                    seen[step] = true;
                    total++;
                }
            }
            token = doc.RootElement.TryGetProperty("next_page_token", out var next) ? next.GetString() : null;
        }
        while (!string.IsNullOrEmpty(token));
        if (total != Points)
        {
            throw new MlflowException($"metrics/get-history call #{call}: {total} points returned over {pages} page(s), expected {Points}");
        }
        return (ticks, pages, bytes);
    }
}
