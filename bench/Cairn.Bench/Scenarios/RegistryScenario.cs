using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Registry search over 10,000 model versions (100 models × 100 versions, every tenth version tagged
/// <c>quality=gold</c>): three queries a registry UI or CI job makes, each 50 warm-up + 200 timed sequential
/// calls, every answer checked. The scenario passes when the slowest query's p95 is within the target.
/// </summary>
public static class RegistryScenario
{
    public const string Prefix = "bench-registry-";
    public const int Models = 100;
    public const int VersionsPerModel = 100;
    public const int WarmupCalls = 50;
    public const int TimedCalls = 200;
    public const double TargetP95Ms = 50;

    private sealed record Query(string Name, string Rpc, (string, string)[] Parameters, string ResultField, int ExpectedCount);

    private static readonly Query[] Queries =
    [
        // What a 3.x client sends for search_registered_models(): the prompt clause on a page of 100 models, each with its latest versions.
        new("models_page_3x_client", "registered-models/search",
            [("filter", $"name LIKE '{Prefix}%' AND tag.`mlflow.prompt.is_prompt` != 'true'"), ("max_results", "100")], "registered_models", Models),
        // All versions of one model, newest first (a model page).
        new("versions_of_one_model", "model-versions/search",
            [("filter", $"name = '{Prefix}042'"), ("max_results", "100")], "model_versions", VersionsPerModel),
        // A tag query across the whole registry (which versions passed validation?).
        new("versions_by_tag", "model-versions/search",
            [("filter", "tags.quality = 'gold'"), ("max_results", "1000")], "model_versions", Models * VersionsPerModel / 10),
    ];

    public static async Task<JsonObject> RunAsync(MlflowHttp http, CancellationToken ct)
    {
        var setup = await EnsureAsync(http, ct);
        var results = new JsonObject();
        var worst = 0.0;
        foreach (var query in Queries)
        {
            var endpoint = http.Endpoint(query.Rpc);
            var recorder = new LatencyRecorder(TimedCalls);
            for (var call = 0; call < WarmupCalls + TimedCalls; call++)
            {
                var (body, ticks) = await MlflowHttp.TimeAsync(() => http.GetRawAsync(endpoint, query.Parameters, ct));
                if (call >= WarmupCalls)
                {
                    recorder.Record(ticks);
                }

                Verify(query, body, call);
            }

            var latency = recorder.Summarize();
            worst = Math.Max(worst, latency.P95);
            results[query.Name] = new JsonObject
            {
                ["rpc"] = query.Rpc,
                ["filter"] = query.Parameters[0].Item2,
                ["results"] = query.ExpectedCount,
                ["latency"] = latency.ToJson(),
            };
            ScenarioReport.Progress($"registry: {query.Name} p50 {latency.P50:F1} ms, p95 {latency.P95:F1} ms");
        }

        var result = new JsonObject
        {
            ["model_versions"] = Models * VersionsPerModel,
            ["registered_models"] = Models,
            ["setup_reused"] = setup.Reused,
            ["setup_s"] = Math.Round(setup.Seconds, 1),
            ["queries"] = results,
        };
        return ScenarioReport.LowerIsBetter(result, "slowest_query_p95_ms", worst, TargetP95Ms, null);
    }

    private static void Verify(Query query, byte[] body, int call)
    {
        using var document = JsonDocument.Parse(body);
        var count = document.RootElement.TryGetProperty(query.ResultField, out var items) ? items.GetArrayLength() : 0;
        if (count != query.ExpectedCount)
        {
            throw new MlflowException($"{query.Rpc} call #{call} ({query.Name}) returned {count} results, expected {query.ExpectedCount}");
        }
    }

    private static async Task<(bool Reused, double Seconds)> EnsureAsync(MlflowHttp http, CancellationToken ct)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        using (var existing = await http.GetAsync("model-versions/search", [("filter", $"name = '{Prefix}{Models - 1:D3}'"), ("max_results", "200")], ct))
        {
            if (existing.RootElement.TryGetProperty("model_versions", out var found) && found.GetArrayLength() == VersionsPerModel)
            {
                return (true, 0);
            }
        }

        ScenarioReport.Progress($"registry: creating {Models} models with {VersionsPerModel} versions each");
        var created = 0;
        await Workers.RunAsync(4, async (worker, token) =>
        {
            for (var m = worker; m < Models; m += 4)
            {
                var name = $"{Prefix}{m.ToString("D3", CultureInfo.InvariantCulture)}";
                (await http.PostAsync("registered-models/create", w =>
                {
                    w.WriteStartObject();
                    w.WriteString("name", name);
                    w.WriteEndObject();
                }, token)).Dispose();
                for (var v = 1; v <= VersionsPerModel; v++)
                {
                    var version = v;
                    (await http.PostAsync("model-versions/create", w =>
                    {
                        w.WriteStartObject();
                        w.WriteString("name", name);
                        w.WriteString("source", $"s3://bench-models/{name}/{version}");
                        w.WriteStartArray("tags");
                        w.WriteStartObject();
                        w.WriteString("key", "quality");
                        w.WriteString("value", version % 10 == 0 ? "gold" : "bronze");
                        w.WriteEndObject();
                        w.WriteEndArray();
                        w.WriteEndObject();
                    }, token)).Dispose();
                }

                if (Interlocked.Increment(ref created) % 10 == 0)
                {
                    ScenarioReport.Progress($"registry: {created} of {Models} models created");
                }
            }
        }, ct);
        return (false, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
    }
}
