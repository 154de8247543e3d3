using System.Globalization;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario 3: runs/search over 10,000 runs (or <c>--runs</c>) with a metric + param filter and a metric order,
/// 20 warm-up calls then 200 timed sequential calls. Every answer is checked against the
/// full run listing: exactly the expected top 100, all matching the filter, in m0 DESC order.
/// </summary>
public static class SearchScenario
{
    public const string Filter = "metrics.m1 > 0.5 and params.p1 = 'x'";
    public const string OrderBy = "metrics.m0 DESC";
    public const int MaxResults = 100;
    public const int WarmupCalls = 50;
    public const int TimedCalls = 200;
    public const double TargetP95Ms = 50;

    /// <summary>The target at 100,000 runs and more (the PostgreSQL scale-out target).</summary>
    public const double LargeTargetP95Ms = 100;
    public const double ReferenceMs = 900;

    public static async Task<JsonObject> RunAsync(MlflowHttp http, int runCount, CancellationToken ct)
    {
        var dataset = await SearchSetup.EnsureAsync(http, runCount, ct);
        var byId = dataset.Runs.ToDictionary(r => r.RunId, StringComparer.Ordinal);
        var matching = dataset.Runs.Where(r => r.MatchesFilter).ToList();
        var expectedM0 = matching.Select(r => r.M0!.Value).OrderByDescending(v => v).Take(MaxResults).ToArray();
        ScenarioReport.Progress($"search: {matching.Count} of {dataset.Runs.Count} runs match the filter; "
            + $"{WarmupCalls} warm-up + {TimedCalls} timed queries");

        var uri = http.Endpoint("runs/search");
        var body = new JsonRequestBuffer().Build(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("experiment_ids");
            w.WriteStringValue(dataset.ExperimentId);
            w.WriteEndArray();
            w.WriteString("filter", Filter);
            w.WriteStartArray("order_by");
            w.WriteStringValue(OrderBy);
            w.WriteEndArray();
            w.WriteNumber("max_results", MaxResults);
            w.WriteEndObject();
        });

        var recorder = new LatencyRecorder(TimedCalls);
        var resultCount = 0;
        for (var call = 0; call < WarmupCalls + TimedCalls; call++)
        {
            var (response, ticks) = await MlflowHttp.TimeAsync(() => http.PostRawAsync(uri, body, ct));
            if (call >= WarmupCalls)
            {
                recorder.Record(ticks);
            }
            resultCount = Verify(response, byId, expectedM0, call);
        }

        var latency = recorder.Summarize();
        var result = new JsonObject
        {
            ["experiment_id"] = dataset.ExperimentId,
            ["experiment_name"] = SearchSetup.ExperimentName(runCount),
            ["runs_in_experiment"] = dataset.Runs.Count,
            ["setup_reused"] = dataset.Reused,
            ["setup_s"] = Math.Round(dataset.SetupSeconds, 1),
            ["filter"] = Filter,
            ["order_by"] = OrderBy,
            ["max_results"] = MaxResults,
            ["matching_runs"] = matching.Count,
            ["result_count"] = resultCount,
            ["results_verified"] = true,
            ["warmup_calls"] = WarmupCalls,
            ["latency"] = latency.ToJson(),
        };
        return ScenarioReport.LowerIsBetter(result, "p95_ms", latency.P95, runCount >= 100_000 ? LargeTargetP95Ms : TargetP95Ms, runCount == SearchSetup.DefaultRunCount ? ReferenceMs : null);
    }

    /// <summary>Checks one response; throws <see cref="MlflowException"/> describing the first problem.</summary>
    private static int Verify(byte[] response, Dictionary<string, SearchRunData> byId, double[] expectedM0, int call)
    {
        var (runs, _) = SearchRunData.ParsePage(response);
        string Fail(string what) => $"runs/search call #{call} returned wrong results: {what}";
        if (runs.Count != expectedM0.Length)
        {
            throw new MlflowException(Fail($"{runs.Count} runs, expected {expectedM0.Length}"));
        }
        for (var i = 0; i < runs.Count; i++)
        {
            var run = runs[i];
            if (!run.MatchesFilter)
            {
                throw new MlflowException(Fail($"run {run.RunId} at position {i} does not satisfy the filter "
                    + $"(m1={Show(run.M1)}, p1={run.P1 ?? "<missing>"})"));
            }
            if (i > 0 && !(runs[i - 1].M0 >= run.M0))
            {
                throw new MlflowException(Fail($"not ordered by m0 DESC at position {i}: "
                    + $"{Show(runs[i - 1].M0)} then {Show(run.M0)}"));
            }
            if (run.M0 != expectedM0[i])
            {
                throw new MlflowException(Fail($"position {i} has m0={Show(run.M0)} but the true top-{expectedM0.Length} "
                    + $"has {expectedM0[i].ToString("R", CultureInfo.InvariantCulture)} (a matching run is missing or extra)"));
            }
            if (!byId.TryGetValue(run.RunId, out var listed) || listed != run)
            {
                throw new MlflowException(Fail($"run {run.RunId} is not in the experiment listing or its data differs "
                    + $"(search: {run}, listing: {listed?.ToString() ?? "<absent>"})"));
            }
        }
        return runs.Count;
    }

    private static string Show(double? value) =>
        value?.ToString("R", CultureInfo.InvariantCulture) ?? "<missing>";
}
