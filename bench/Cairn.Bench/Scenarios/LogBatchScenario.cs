using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario 1: N clients, one run each, loop POST runs/log-batch with 1000 metrics per request
/// (keys m0..m9, 100 new steps per key per request, timestamp = now, random values).
/// </summary>
public static class LogBatchScenario
{
    public const int MetricsPerBatch = 1000;
    public const double TargetPointsPerSecond = 150_000;
    public const double ReferencePointsPerSecond = 27_000;

    /// <summary>Metric storage on disk, per point, that PostgreSQL must stay within (Cairn reports it at <c>GET /api/v1/admin/storage</c>).</summary>
    public const double TargetBytesPerPoint = 60;

    private static readonly JsonEncodedText RunIdProp = JsonEncodedText.Encode("run_id");
    private static readonly JsonEncodedText MetricsProp = JsonEncodedText.Encode("metrics");
    private static readonly JsonEncodedText KeyProp = JsonEncodedText.Encode("key");
    private static readonly JsonEncodedText ValueProp = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText TimestampProp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText StepProp = JsonEncodedText.Encode("step");
    private static readonly JsonEncodedText[] Keys =
        Enumerable.Range(0, 10).Select(i => JsonEncodedText.Encode($"m{i}")).ToArray();

    public static async Task<JsonObject> RunAsync(MlflowHttp http, BenchOptions options, CancellationToken ct)
    {
        var experimentName = $"bench-log-batch-{MlflowSetup.Stamp()}";
        var experimentId = await MlflowSetup.CreateExperimentAsync(http, experimentName, ct);
        var uri = http.Endpoint("runs/log-batch");
        var clients = new List<Func<CancellationToken, Task>>();
        for (var c = 0; c < options.Clients; c++)
        {
            var runId = await MlflowSetup.CreateRunAsync(http, experimentId, $"log-batch-client-{c}", ct);
            clients.Add(CreateClient(http, uri, runId, seed: c));
        }

        ScenarioReport.Progress($"log-batch: warm-up {options.Warmup.TotalSeconds:0} s, then {options.Duration.TotalSeconds:0} s with {options.Clients} clients");
        var warm = await LoadRunner.RunAsync(clients, options.Warmup, ct);
        var load = await LoadRunner.RunAsync(clients, options.Duration, ct);

        var points = load.Requests * MetricsPerBatch;
        var pointsPerSecond = points / load.ElapsedSeconds;
        var result = new JsonObject
        {
            ["experiment_id"] = experimentId,
            ["experiment_name"] = experimentName,
            ["clients"] = options.Clients,
            ["metrics_per_request"] = MetricsPerBatch,
            ["warmup_requests"] = warm.Requests,
            ["elapsed_s"] = Math.Round(load.ElapsedSeconds, 3),
            ["requests"] = load.Requests,
            ["points"] = points,
            ["points_per_s"] = Math.Round(pointsPerSecond, 1),
            ["requests_per_s"] = Math.Round(load.RequestsPerSecond, 1),
            ["latency"] = load.Latency.ToJson(),
            ["storage"] = await StorageAsync(http, ct),
        };
        return ScenarioReport.HigherIsBetter(result, "points_per_s", pointsPerSecond, TargetPointsPerSecond, ReferencePointsPerSecond);
    }

    /// <summary>The server's own measure of metric points on disk, with the target; null from a server without it (MLflow).</summary>
    private static async Task<JsonNode?> StorageAsync(MlflowHttp http, CancellationToken ct)
    {
        try
        {
            var report = JsonNode.Parse(await http.SendNativeAsync(HttpMethod.Get, "admin/storage", null, ct))!;
            var perPoint = (double?)report["bytes_per_point"];
            report["target_bytes_per_point"] = TargetBytesPerPoint;
            report["pass"] = perPoint <= TargetBytesPerPoint;
            ScenarioReport.Progress($"log-batch: {(string?)report["store"]} holds {(long?)report["metric_points"]:N0} points in {(long?)report["metric_point_bytes"]:N0} bytes: {perPoint} bytes a point (target <= {TargetBytesPerPoint})");
            return report;
        }
        catch (MlflowException)
        {
            return null;
        }
    }

    /// <summary>One client: its own run, buffer, random generator and step counter.</summary>
    private static Func<CancellationToken, Task> CreateClient(MlflowHttp http, Uri uri, string runId, int seed)
    {
        var buffer = new JsonRequestBuffer(96 * 1024);
        var random = new Random(seed);
        long baseStep = 0;
        return async ct =>
        {
            var body = WriteBatch(buffer, runId, random, baseStep, MlflowSetup.NowMs());
            baseStep += MetricsPerBatch / Keys.Length;
            await http.PostAckAsync(uri, body, ct);
        };
    }

    private static ReadOnlyMemory<byte> WriteBatch(JsonRequestBuffer buffer, string runId, Random random, long baseStep, long now)
    {
        var w = buffer.Start();
        w.WriteStartObject();
        w.WriteString(RunIdProp, runId);
        w.WriteStartArray(MetricsProp);
        for (var i = 0; i < MetricsPerBatch; i++)
        {
            w.WriteStartObject();
            w.WriteString(KeyProp, Keys[i % Keys.Length]);
            w.WriteNumber(ValueProp, random.NextDouble());
            w.WriteNumber(TimestampProp, now);
            w.WriteNumber(StepProp, baseStep + (i / Keys.Length));
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
        return buffer.Finish();
    }
}
