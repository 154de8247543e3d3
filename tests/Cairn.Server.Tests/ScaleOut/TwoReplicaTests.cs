using System.Net;
using System.Security.Cryptography;
using Cairn.Server.Registry;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Tests.Registry;
using Cairn.Server.Tests.Webhooks;

namespace Cairn.Server.Tests.ScaleOut;

/// <summary>
/// Two server processes on one PostgreSQL database and one S3 bucket, as behind a load balancer: concurrent clients
/// write through one replica and read every write back through the other, and a webhook hears each registry event
/// once although both replicas run the delivery worker.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class TwoReplicaTests(MotoServer moto)
{
    private const int Clients = 4;
    private const int Batches = 5;
    private const int StepsPerBatch = 50;
    private const int EventsPerClient = 5;

    private static readonly string[] FastWebhooks = ["--Cairn:Webhooks:PollIntervalSeconds", "0.1", "--Cairn:Webhooks:AllowPrivateNetworks", "true"];

    [PostgresOnlyFact("replicas share one PostgreSQL database")]
    public async Task Every_write_through_one_replica_reads_back_through_the_other_and_each_registry_event_is_delivered_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var bucket = Replicas.Args(moto.StoreSettings($"t-{Guid.NewGuid():N}/artifacts"));
        await using var replicas = await Replicas.StartAsync(2, [.. bucket, .. FastWebhooks]);
        var webhook = await replicas.Mlflow(0, "/api/v1").PostAsync("webhooks", new { name = "audit", url = receiver.Url("audit"), events = RegistryActions.All });
        Assert.Equal(HttpStatusCode.Created, webhook.Status);
        var experimentId = await replicas.Mlflow(0).CreateExperimentAsync("replicas");

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(client => Task.Run(() => WriteAndReadBackAsync(replicas, experimentId, client))));

        var events = await replicas.Mlflow(1).EventsAsync(("max_results", "1000"));
        Assert.Equal(Clients * EventsPerClient, events.Count);

        // Every delivery settled as succeeded: no send is left to come.
        var deliveries = await replicas.Mlflow(1, "/api/v1").WaitForDeliveriesAsync(
            (string)webhook.Body!["webhook"]!["webhook_id"]!,
            log => log.Count >= events.Count && log.All(d => (string?)d!["status"] == "succeeded"),
            TimeSpan.FromSeconds(120));
        var eventIds = events.Select(e => (long)e!["id"]!).Order().ToList();
        Assert.Equal(eventIds, deliveries.Select(d => (long)d!["event_id"]!).Order());
        Assert.Equal(eventIds, receiver.Received("audit").Select(r => r.EventId!.Value).Order());
    }

    /// <summary>One client: every write goes through replica <c>client % 2</c> and is read back through the other.</summary>
    private static async Task WriteAndReadBackAsync(Replicas replicas, string experimentId, int client)
    {
        var (writer, reader) = (replicas.Mlflow(client % 2), replicas.Mlflow(1 - (client % 2)));
        var runId = await writer.CreateRunAsync(experimentId, $"client-{client}");
        for (var batch = 0; batch < Batches; batch++)
        {
            var steps = Enumerable.Range(batch * StepsPerBatch, StepsPerBatch);
            await writer.LogBatchAsync(
                runId,
                metrics: [.. steps.SelectMany(step => new[] { Points.Metric("loss", step * 0.5, 1000 + step, step), Points.Metric("acc", step, 1000 + step, step) })],
                @params: [Points.Kv($"p{batch}", $"v{batch}")],
                tags: [Points.Kv("phase", $"{batch}")]);
        }

        var run = await reader.GetRunAsync(runId);
        Assert.Equal(experimentId, (string?)run["info"]!["experiment_id"]);
        Assert.Equal(
            Enumerable.Range(0, Batches).Select(b => $"p{b}=v{b}"),
            run["data"]!["params"]!.AsArray().Select(p => $"{p!["key"]}={p["value"]}").Order(StringComparer.Ordinal));
        Assert.Contains(run["data"]!["tags"]!.AsArray(), t => (string?)t!["key"] == "phase" && (string?)t["value"] == $"{Batches - 1}");
        const int lastStep = (Batches * StepsPerBatch) - 1;
        Assert.Contains(run["data"]!["metrics"]!.AsArray(), m => (string?)m!["key"] == "loss" && (long)m["step"]! == lastStep && (double)m["value"]! == lastStep * 0.5);
        foreach (var key in (string[])["loss", "acc"])
        {
            var history = (await reader.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", key))).Ok()["metrics"]!.AsArray();
            Assert.Equal(Enumerable.Range(0, lastStep + 1).Select(s => (long)s), history.Select(p => (long)p!["step"]!).Order());
        }

        await ArtifactsReadBackAsync(replicas, client, runId);
        await RegistryReadsBackAsync(writer, reader, $"model-{client}", runId);
    }

    private static async Task ArtifactsReadBackAsync(Replicas replicas, int client, string runId)
    {
        var (writer, reader) = (replicas.Http(client % 2), replicas.Http(1 - (client % 2)));
        var root = "/api/2.0/mlflow-artifacts/artifacts/" + ((string)(await replicas.Mlflow(client % 2).GetRunAsync(runId))["info"]!["artifact_uri"]!)["mlflow-artifacts:/".Length..];
        var blob = RandomNumberGenerator.GetBytes(300_000);
        var model = "artifact_path: model\n"u8.ToArray();
        foreach (var (path, bytes) in (IEnumerable<(string, byte[])>)[("data/blob.bin", blob), ("model/MLmodel", model)])
        {
            using var put = await writer.PutAsync($"{root}/{path}", new ByteArrayContent(bytes));
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        }

        Assert.Equal(blob, await reader.GetByteArrayAsync($"{root}/data/blob.bin"));
        Assert.Equal(model, await reader.GetByteArrayAsync($"{root}/model/MLmodel"));
        var listed = (await replicas.Mlflow(1 - (client % 2)).GetAsync("artifacts/list", ("run_id", runId), ("path", "data"))).Ok()["files"]!.AsArray();
        var file = Assert.Single(listed);
        Assert.Equal("data/blob.bin", (string?)file!["path"]);
        Assert.Equal(blob.Length, (long)file["file_size"]!);
    }

    /// <summary>A model, a version through each replica, an alias set through one and moved through the other; the audit trail through either.</summary>
    private static async Task RegistryReadsBackAsync(MlflowClient writer, MlflowClient reader, string name, string runId)
    {
        await writer.CreateModelAsync(name, description: "made through one replica");
        Assert.Equal("made through one replica", (string?)(await reader.GetModelAsync(name))["description"]);
        Assert.Equal("1", (string?)(await writer.CreateVersionAsync(name, runId))["version"]);
        Assert.Equal("2", (string?)(await reader.CreateVersionAsync(name, runId))["version"]);
        Assert.Equal(runId, (string?)(await writer.GetVersionAsync(name, 2))["run_id"]);

        await writer.SetAliasAsync(name, "champion", 1);
        Assert.Equal("1", await AliasAsync(reader, name));
        await reader.SetAliasAsync(name, "champion", 2);
        Assert.Equal("2", await AliasAsync(writer, name));

        string[] trail = [RegistryActions.AliasSet, RegistryActions.AliasSet, RegistryActions.VersionCreated, RegistryActions.VersionCreated, RegistryActions.ModelCreated];
        Assert.Equal(trail, (await writer.EventsAsync(("name", name))).Select(e => (string?)e!["action"]));
        Assert.Equal(trail, (await reader.EventsAsync(("name", name))).Select(e => (string?)e!["action"]));
    }

    private static async Task<string?> AliasAsync(MlflowClient mlflow, string name) =>
        (string?)(await mlflow.GetAsync("registered-models/alias", ("name", name), ("alias", "champion"))).Ok()["model_version"]!["version"];
}
