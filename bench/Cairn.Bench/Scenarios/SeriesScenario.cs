using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario 5 (Cairn only): a chart of a 1,000,000-point metric. GET /api/v1/metrics/series with max_points=1000,
/// 10 warm-up + 50 timed calls, each answer checked (at most 1,000 points in step order, total_points 1,000,000,
/// the planted min and max and the first and last step present). For comparison, 3 timed reads of the same raw
/// points through metrics/get-history.
/// </summary>
public static class SeriesScenario
{
    public const int MaxPoints = 1000;
    public const int WarmupCalls = 10;
    public const int TimedCalls = 50;
    public const int HistoryCalls = 3;
    public const double TargetP95Ms = 100;

    public static async Task<JsonObject> RunAsync(MlflowHttp http, CancellationToken ct)
    {
        var dataset = await SeriesSetup.EnsureAsync(http, ct);
        ScenarioReport.Progress($"series: {WarmupCalls} warm-up + {TimedCalls} timed series calls, then {HistoryCalls} get-history reads");

        var uri = http.NativeEndpoint("metrics/series");
        (string, string)[] query = [("run_id", dataset.RunId), ("metric_key", SeriesSetup.Key), ("max_points", $"{MaxPoints}")];
        var recorder = new LatencyRecorder(TimedCalls);
        var returned = 0;
        for (var call = 0; call < WarmupCalls + TimedCalls; call++)
        {
            var (body, ticks) = await MlflowHttp.TimeAsync(() => http.GetRawAsync(uri, query, ct));
            if (call >= WarmupCalls)
            {
                recorder.Record(ticks);
            }
            returned = Verify(body, call);
        }

        var history = await ReadHistoryAsync(http, dataset.RunId, ct);
        var latency = recorder.Summarize();
        var result = new JsonObject
        {
            ["run_id"] = dataset.RunId,
            ["experiment_name"] = SeriesSetup.ExperimentName,
            ["points"] = SeriesSetup.Points,
            ["setup_reused"] = dataset.Reused,
            ["setup_s"] = Math.Round(dataset.SetupSeconds, 1),
            ["max_points"] = MaxPoints,
            ["points_returned"] = returned,
            ["results_verified"] = true,
            ["warmup_calls"] = WarmupCalls,
            ["latency"] = latency.ToJson(),
            ["raw_get_history"] = history.ToJson(),
        };
        return ScenarioReport.LowerIsBetter(result, "p95_ms", latency.P95, TargetP95Ms, reference: null);
    }

    /// <summary>Checks one answer; throws <see cref="MlflowException"/> describing the first problem.</summary>
    private static int Verify(byte[] body, int call)
    {
        string Fail(string what) => $"metrics/series call #{call} returned a wrong series: {what}";
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        if (root.GetProperty("total_points").GetInt64() != SeriesSetup.Points || !root.GetProperty("downsampled").GetBoolean())
        {
            throw new MlflowException(Fail($"total_points {root.GetProperty("total_points")}, downsampled {root.GetProperty("downsampled")}"));
        }
        var points = root.GetProperty("points").EnumerateArray()
            .Select(p => (Step: p.GetProperty("step").GetInt64(), Value: MlflowSetup.ReadDouble(p.GetProperty("value")))).ToList();
        if (points.Count is 0 or > MaxPoints)
        {
            throw new MlflowException(Fail($"{points.Count} points, expected 1 to {MaxPoints}"));
        }
        for (var i = 1; i < points.Count; i++)
        {
            if (points[i].Step <= points[i - 1].Step)
            {
                throw new MlflowException(Fail($"steps out of order at position {i}: {points[i - 1].Step} then {points[i].Step}"));
            }
        }
        if (!points.Contains((SeriesSetup.MinStep, SeriesSetup.MinValue)) || !points.Contains((SeriesSetup.MaxStep, SeriesSetup.MaxValue)))
        {
            throw new MlflowException(Fail($"the planted min (step {SeriesSetup.MinStep}) or max (step {SeriesSetup.MaxStep}) is missing"));
        }
        if (points[0].Step != 0 || points[^1].Step != SeriesSetup.Points - 1)
        {
            throw new MlflowException(Fail($"first step {points[0].Step}, last step {points[^1].Step}"));
        }
        return points.Count;
    }

    /// <summary>Times reading all raw points in one get-history call (after one warm-up), counting the points.</summary>
    private static async Task<LatencySummary> ReadHistoryAsync(MlflowHttp http, string runId, CancellationToken ct)
    {
        using var buffer = new MemoryStream(128 << 20);
        var recorder = new LatencyRecorder(HistoryCalls);
        for (var call = 0; call <= HistoryCalls; call++)
        {
            GC.Collect();
            var start = Stopwatch.GetTimestamp();
            var length = await http.GetIntoAsync("metrics/get-history", [("run_id", runId), ("metric_key", SeriesSetup.Key)], buffer, ct);
            var ticks = Stopwatch.GetTimestamp() - start;
            if (call > 0)
            {
                recorder.Record(ticks);
            }
            var count = CountOf(buffer.GetBuffer().AsSpan(0, length), "\"step\":"u8);
            if (count != SeriesSetup.Points)
            {
                throw new MlflowException($"metrics/get-history returned {count} points, expected {SeriesSetup.Points}");
            }
        }
        return recorder.Summarize();
    }

    private static int CountOf(ReadOnlySpan<byte> text, ReadOnlySpan<byte> part)
    {
        var count = 0;
        for (int at; (at = text.IndexOf(part)) >= 0; text = text[(at + part.Length)..])
        {
            count++;
        }
        return count;
    }
}
