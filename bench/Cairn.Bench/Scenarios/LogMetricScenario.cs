using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario 2: N clients, one run each, loop POST runs/log-metric with a single point
/// ({run_id, key, value, timestamp, step}), like MLflow's synchronous mlflow.log_metric.
/// </summary>
public static class LogMetricScenario
{
    public const double TargetCallsPerSecond = 3_000;
    public const double ReferenceCallsPerSecond = 290;

    private static readonly JsonEncodedText RunIdProp = JsonEncodedText.Encode("run_id");
    private static readonly JsonEncodedText KeyProp = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueProp = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText TimestampProp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText StepProp = JsonEncodedText.Encode("step");
    private static readonly JsonEncodedText LossKey = JsonEncodedText.Encode("loss");

    public static async Task<JsonObject> RunAsync(MlflowHttp http, BenchOptions options, CancellationToken ct)
    {
        var experimentName = $"bench-log-metric-{MlflowSetup.Stamp()}";
        var experimentId = await MlflowSetup.CreateExperimentAsync(http, experimentName, ct);
        var uri = http.Endpoint("runs/log-metric");
        var clients = new List<Func<CancellationToken, Task>>();
        for (var c = 0; c < options.Clients; c++)
        {
            var runId = await MlflowSetup.CreateRunAsync(http, experimentId, $"log-metric-client-{c}", ct);
            clients.Add(CreateClient(http, uri, runId, seed: 100 + c));
        }

        ScenarioReport.Progress($"log-metric: warm-up {options.Warmup.TotalSeconds:0} s, then {options.Duration.TotalSeconds:0} s with {options.Clients} clients");
        var warm = await LoadRunner.RunAsync(clients, options.Warmup, ct);
        var load = await LoadRunner.RunAsync(clients, options.Duration, ct);

        var result = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["experiment_name"] = experimentName,
            ["clients"] = options.Clients,
            ["warmup_requests"] = warm.Requests,
            ["elapsed_s"] = Math.Round(load.ElapsedSeconds, 3),
            ["calls"] = load.Requests,
            ["calls_per_s"] = Math.Round(load.RequestsPerSecond, 1),
            ["latency"] = load.Latency.ToJson(),
        };
        return ScenarioReport.HigherIsBetter(result, "calls_per_s", load.RequestsPerSecond, TargetCallsPerSecond, ReferenceCallsPerSecond);
    }

    private static Func<CancellationToken, Task> CreateClient(MlflowHttp http, Uri uri, string runId, int seed)
    {
        var buffer = new JsonRequestBuffer(256);
        var random = new Random(seed);
        long step = 0;
        return async ct =>
        {
            var w = buffer.Start();
            w.WriteStartObject();
            w.WriteString(RunIdProp, runId);
            w.WriteString(KeyProp, LossKey);
            w.WriteNumber(ValueProp, random.NextDouble());
            w.WriteNumber(TimestampProp, MlflowSetup.NowMs());
            w.WriteNumber(StepProp, step++);
            w.WriteEndObject();
            await http.PostAckAsync(uri, buffer.Finish(), ct);
        };
    }
}
