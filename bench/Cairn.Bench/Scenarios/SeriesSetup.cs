using System.Diagnostics;
using System.Text.Json;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Builds (or reuses) the experiment "bench-series-1m": one run whose metric "loss" has 1,000,000 points (steps
/// 0..999,999, a seeded random walk in [-100, 100]-ish) with a planted minimum and maximum, logged as 1,000
/// log-batch requests of 1,000 points by 4 workers.
/// </summary>
public static class SeriesSetup
{
    public const string ExperimentName = "bench-series-1m";
    public const string Key = "loss";
    public const int Points = 1_000_000;
    public const long MinStep = 333_333;
    public const double MinValue = -1000;
    public const long MaxStep = 777_777;
    public const double MaxValue = 1000;

    public sealed record Dataset(string RunId, bool Reused, double SetupSeconds);

    public static async Task<Dataset> EnsureAsync(MlflowHttp http, CancellationToken ct)
    {
        if (await MlflowSetup.FindExperimentAsync(http, ExperimentName, ct) is var (id, stage))
        {
            if (stage == "active" && await FindRunAsync(http, id, ct) is { } reused && await TotalPointsAsync(http, reused, ct) == Points)
            {
                ScenarioReport.Progress($"series: reusing experiment '{ExperimentName}' (id {id}), run {reused}");
                return new Dataset(reused, Reused: true, SetupSeconds: 0);
            }
            ScenarioReport.Progress($"series: experiment '{ExperimentName}' is incomplete; rebuilding");
            await MlflowSetup.RetireExperimentAsync(http, id, stage, ExperimentName, ct);
        }

        var watch = Stopwatch.StartNew();
        var experimentId = await MlflowSetup.CreateExperimentAsync(http, ExperimentName, ct);
        var runId = await MlflowSetup.CreateRunAsync(http, experimentId, "series-1m", ct);
        ScenarioReport.Progress($"series: logging {Points} points into run {runId}");
        var values = Values();
        await MlflowSetup.LogStepsAsync(http, runId, Key, Points, step => values[step], ct);
        return new Dataset(runId, Reused: false, watch.Elapsed.TotalSeconds);
    }

    /// <summary>The value at each step: a seeded random walk, with the planted extremes.</summary>
    private static double[] Values()
    {
        var random = new Random(11);
        var values = new double[Points];
        var value = 0.0;
        for (var step = 0; step < Points; step++)
        {
            value = Math.Clamp(value + random.NextDouble() - 0.5, -100, 100);
            values[step] = value;
        }
        values[MinStep] = MinValue;
        values[MaxStep] = MaxValue;
        return values;
    }

    /// <summary>total_points of the run's series, as the series route reports it.</summary>
    public static async Task<long> TotalPointsAsync(MlflowHttp http, string runId, CancellationToken ct)
    {
        var body = await http.GetRawAsync(http.NativeEndpoint("metrics/series"), [("run_id", runId), ("metric_key", Key), ("max_points", "10")], ct);
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("total_points").GetInt64();
    }

    private static async Task<string?> FindRunAsync(MlflowHttp http, string experimentId, CancellationToken ct)
    {
        using var doc = await http.PostAsync("runs/search", w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("experiment_ids");
            w.WriteStringValue(experimentId);
            w.WriteEndArray();
            w.WriteNumber("max_results", 1);
            w.WriteEndObject();
        }, ct);
        return doc.RootElement.TryGetProperty("runs", out var runs) && runs.GetArrayLength() > 0
            ? MlflowSetup.RequireString(runs[0].GetProperty("info"), "run_id", "runs/search")
            : null;
    }
}
