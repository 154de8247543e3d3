using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario webhooks (Cairn only): registry write latency, measured as sequential alias moves
/// (<c>registered-models/alias</c>, champion between versions 1 and 2), first with no webhook, then with one webhook
/// subscribed to all events whose receiver hangs 30 s per request, then with 20 such webhooks (more than the sender's
/// default 16 slots), and once more with the webhooks deleted (with their pending deliveries), to show the drift.
/// </summary>
public static class WebhooksScenario
{
    public const int WarmupCalls = 100;
    public const int TimedCalls = 1000;
    public const int ManyWebhooks = 20;
    public const double TargetRatio = 1.5;
    public static readonly TimeSpan Hang = TimeSpan.FromSeconds(30);

    private static readonly string[] AllEvents =
    [
        "registered_model.created", "registered_model.renamed", "registered_model.updated", "registered_model.deleted",
        "registered_model_tag.set", "registered_model_tag.deleted", "model_version.created", "model_version.updated",
        "model_version.deleted", "model_version.stage_changed", "model_version_tag.set", "model_version_tag.deleted",
        "model_version_alias.created", "model_version_alias.deleted",
    ];

    public static async Task<JsonObject> RunAsync(MlflowHttp http, CancellationToken ct)
    {
        await using var receiver = new HangingReceiver(Hang);
        var model = $"bench-webhooks-{MlflowSetup.Stamp()}";
        var experimentId = await MlflowSetup.CreateExperimentAsync(http, model, ct);
        var runId = await MlflowSetup.CreateRunAsync(http, experimentId, "model", ct);
        await PostAsync(http, "registered-models/create", w => w.WriteString("name", model), ct);
        for (var i = 0; i < 2; i++)
        {
            await PostAsync(http, "model-versions/create", w =>
            {
                w.WriteString("name", model);
                w.WriteString("source", $"runs:/{runId}/model");
                w.WriteString("run_id", runId);
            }, ct);
        }

        var webhooks = new List<string>();
        try
        {
            ScenarioReport.Progress($"webhooks: {WarmupCalls} warm-up + {TimedCalls} timed alias moves with no webhook");
            var none = await MoveAliasAsync(http, model, ct);

            webhooks.Add(await SubscribeAsync(http, receiver.Url, 0, ct));
            await MoveAliasAsync(http, model, ct, calls: 1);
            await receiver.WaitForRequestsAsync(1, TimeSpan.FromSeconds(15), ct);
            ScenarioReport.Progress("webhooks: the same with one webhook whose receiver hangs");
            var one = await MoveAliasAsync(http, model, ct);

            for (var i = 1; i < ManyWebhooks; i++)
            {
                webhooks.Add(await SubscribeAsync(http, receiver.Url, i, ct));
            }

            await MoveAliasAsync(http, model, ct, calls: 1);
            await receiver.WaitForRequestsAsync(ManyWebhooks, TimeSpan.FromSeconds(30), ct);
            ScenarioReport.Progress($"webhooks: the same with {ManyWebhooks} hanging webhooks");
            var many = await MoveAliasAsync(http, model, ct);

            // The first phase again, with the webhooks and their pending deliveries deleted: how much of a
            // difference is the machine's own drift.
            await DeleteAsync(http, webhooks);
            ScenarioReport.Progress("webhooks: the same with the webhooks deleted again");
            var noneAgain = await MoveAliasAsync(http, model, ct);

            var ratio = one.P95 / none.P95;
            var result = new JsonObject
            {
                ["model"] = model,
                ["write"] = "POST registered-models/alias (move champion between versions 1 and 2), sequential",
                ["receiver_hang_s"] = Hang.TotalSeconds,
                ["warmup_calls"] = WarmupCalls,
                ["latency_no_webhook"] = none.ToJson(),
                ["latency_one_hanging_webhook"] = one.ToJson(),
                [$"latency_{ManyWebhooks}_hanging_webhooks"] = many.ToJson(),
                ["latency_no_webhook_again"] = noneAgain.ToJson(),
                ["p95_ratio_many_vs_none"] = Math.Round(many.P95 / none.P95, 2),
                ["receiver_requests"] = receiver.Requests,
            };
            return ScenarioReport.LowerIsBetter(result, "p95_ratio_hanging_vs_none", ratio, TargetRatio, null);
        }
        finally
        {
            await DeleteAsync(http, webhooks);
        }
    }

    private static async Task DeleteAsync(MlflowHttp http, List<string> webhooks)
    {
        foreach (var id in webhooks)
        {
            await http.SendNativeAsync(HttpMethod.Delete, $"webhooks/{id}", null, CancellationToken.None);
        }

        webhooks.Clear();
    }

    /// <summary>Warm-up plus timed alias moves, one at a time; returns the timed calls' latencies.</summary>
    private static async Task<LatencySummary> MoveAliasAsync(MlflowHttp http, string model, CancellationToken ct, int calls = WarmupCalls + TimedCalls)
    {
        var uri = http.Endpoint("registered-models/alias");
        var bodies = new[] { AliasBody(model, "1"), AliasBody(model, "2") };
        var recorder = new LatencyRecorder(TimedCalls);
        for (var call = 0; call < calls; call++)
        {
            var start = Stopwatch.GetTimestamp();
            await http.PostAckAsync(uri, bodies[call % 2], ct);
            if (call >= WarmupCalls)
            {
                recorder.Record(Stopwatch.GetTimestamp() - start);
            }
        }

        return recorder.Summarize();
    }

    private static byte[] AliasBody(string model, string version) =>
        new JsonRequestBuffer().Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", model);
            w.WriteString("alias", "champion");
            w.WriteString("version", version);
            w.WriteEndObject();
        }).ToArray();

    private static async Task<string> SubscribeAsync(MlflowHttp http, string url, int index, CancellationToken ct)
    {
        var body = new JsonRequestBuffer().Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("name", $"bench-hanging-{index}");
            w.WriteString("url", url);
            w.WriteStartArray("events");
            foreach (var e in AllEvents)
            {
                w.WriteStringValue(e);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        });
        using var doc = JsonDocument.Parse(await http.SendNativeAsync(HttpMethod.Post, "webhooks", body, ct));
        return MlflowSetup.RequireString(doc.RootElement.GetProperty("webhook"), "webhook_id", "POST /api/v1/webhooks");
    }

    private static async Task PostAsync(MlflowHttp http, string rpc, Action<Utf8JsonWriter> fields, CancellationToken ct)
    {
        using var _ = await http.PostAsync(rpc, w =>
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }, ct);
    }
}
