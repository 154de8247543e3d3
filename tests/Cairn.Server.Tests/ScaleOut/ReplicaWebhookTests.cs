using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Registry;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Tests.Registry;
using Cairn.Server.Tests.Webhooks;
using Cairn.Server.Webhooks;

namespace Cairn.Server.Tests.ScaleOut;

/// <summary>A delivery whose sender dies mid-send (kill -9) is sent by another replica once its lease runs out, and by no one sooner.</summary>
[Collection(ScaleOutCollection.Name)]
public sealed class ReplicaWebhookTests
{
    // The lease follows the attempt timeout (WebhookOptions.Lease): a few seconds here, so the takeover comes soon.
    private static readonly WebhookOptions Options = new() { TimeoutSeconds = 4, MaxConcurrentDeliveries = 1 };

    private static readonly string[] Settings =
    [
        "--Cairn:Webhooks:TimeoutSeconds", Options.TimeoutSeconds.ToString(CultureInfo.InvariantCulture),
        "--Cairn:Webhooks:MaxConcurrentDeliveries", Options.MaxConcurrentDeliveries.ToString(CultureInfo.InvariantCulture),
        "--Cairn:Webhooks:PollIntervalSeconds", "0.05",
        "--Cairn:Webhooks:FirstRetryDelaySeconds", "0.1",
        "--Cairn:Webhooks:MaxRetryDelaySeconds", "0.2",
        "--Cairn:Webhooks:AllowPrivateNetworks", "true",
    ];

    [PostgresOnlyFact("replicas share one PostgreSQL database")]
    public async Task A_delivery_held_by_a_killed_replica_is_sent_by_the_other_once_its_lease_runs_out()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        string[] names = ["a", "b"];
        await using var replicas = await Replicas.StartAsync(2, Settings);
        var api = replicas.Mlflow(1, "/api/v1");
        var webhookIds = new Dictionary<string, string>();
        foreach (var name in names)
        {
            receiver.HangFirst(name);
            var created = await api.PostAsync("webhooks", new { name, url = receiver.Url(name), events = new[] { RegistryActions.ModelCreated } });
            Assert.Equal(HttpStatusCode.Created, created.Status);
            webhookIds[name] = (string)created.Body!["webhook"]!["webhook_id"]!;
        }

        await replicas.Mlflow(1).CreateModelAsync("churn");

        // Both first attempts hang at once. A replica sends one delivery at a time, so each replica holds one of them.
        var hung = new List<ReceivedRequest>();
        foreach (var name in names)
        {
            hung.Add((await receiver.WaitForAsync(name, 1, TimeSpan.FromSeconds(120)))[0]);
        }

        replicas[0].KillHard();
        Assert.True((hung[1].Time - hung[0].Time).Duration() < Options.Timeout, "both attempts were in flight together");

        var deliveries = new Dictionary<string, JsonNode>();
        foreach (var name in names)
        {
            var log = await api.WaitForDeliveriesAsync(webhookIds[name], d => d.Count == 1 && (string?)d[0]!["status"] == "succeeded", TimeSpan.FromSeconds(120));
            deliveries[name] = log[0]!;
        }

        // The survivor's own delivery: its hung attempt timed out and was written down, the retry succeeded.
        var own = Assert.Single(names, name => deliveries[name]["attempts"]!.AsArray().Count == 2);
        Assert.Null((int?)deliveries[own]["attempts"]![0]!["http_status"]);
        Assert.Equal(200, (int?)deliveries[own]["attempts"]![1]!["http_status"]);

        // The killed replica's delivery: its attempt died with it unrecorded; the survivor sent the same delivery
        // once the lease had run out, and it succeeded at its first recorded attempt.
        var takenOver = Assert.Single(names, name => name != own);
        var attempts = deliveries[takenOver]["attempts"]!.AsArray();
        Assert.Equal(200, (int?)Assert.Single(attempts)!["http_status"]);
        var requests = receiver.Received(takenOver);
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal((string?)deliveries[takenOver]["delivery_id"], r.DeliveryId));
        // No one sent it sooner: the lease, taken no earlier than the delivery was created, had run out.
        var creation = DateTimeOffset.FromUnixTimeMilliseconds((long)deliveries[takenOver]["creation_timestamp"]!);
        Assert.True(
            requests[1].Time >= creation + Options.Lease,
            $"sent again {(requests[1].Time - creation).TotalSeconds:F1} s after the delivery was created; the lease is {Options.Lease.TotalSeconds} s");
    }
}
