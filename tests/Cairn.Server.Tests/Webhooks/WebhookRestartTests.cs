using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Registry;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Deliveries are rows: after kill -9 the next start sends what was pending, and events written meanwhile.</summary>
public sealed class WebhookRestartTests : IDisposable
{
    private static readonly string[] FastRetries =
    [
        "--Cairn:Webhooks:PollIntervalSeconds", "0.05",
        "--Cairn:Webhooks:FirstRetryDelaySeconds", "0.1",
        "--Cairn:Webhooks:MaxRetryDelaySeconds", "0.3",
        "--Cairn:Webhooks:MaxAttempts", "100",
        "--Cairn:Webhooks:TimeoutSeconds", "10",
        "--Cairn:Webhooks:AllowPrivateNetworks", "true",
    ];

    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-tests", "webhook-restart-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Pending_deliveries_survive_a_hard_kill_and_are_sent_once_after_the_restart()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var up = false;
        receiver.Answer("ci", _ => Volatile.Read(ref up) ? 200 : 503);
        string webhookId;
        var eventIds = new List<long>();

        await using (var server = await ServerProcess.StartAsync(_data, FastRetries))
        {
            var api = new MlflowClient(new HttpClient { BaseAddress = new Uri(server.BaseUrl) }, "/api/v1");
            var created = await api.PostAsync("webhooks", new { name = "ci", url = receiver.Url("ci"), events = RegistryActions.All });
            Assert.Equal(HttpStatusCode.Created, created.Status);
            webhookId = (string)created.Body!["webhook"]!["webhook_id"]!;
            await using (var db = RegistryEvents.Open(_data))
            {
                for (var version = 1; version <= 3; version++)
                {
                    eventIds.Add(await RegistryEvents.InsertAsync(db, RegistryActions.VersionCreated, version: version));
                }
            }

            // Every event has been tried, refused and the refusal logged before the kill.
            await WaitUntilAsync(async () =>
            {
                var logged = await DeliveriesAsync(api, webhookId);
                return logged.Count == 3 && logged.All(d => d!["attempts"]!.AsArray().Any(a => (int?)a!["http_status"] == 503));
            });
            server.KillHard();
        }

        var deliveryIdsBeforeKill = receiver.Received("ci").GroupBy(r => r.EventId!.Value).ToDictionary(g => g.Key, g => g.First().DeliveryId);
        await using (var db = RegistryEvents.Open(_data))
        {
            eventIds.Add(await RegistryEvents.InsertAsync(db, RegistryActions.AliasSet, version: 3, alias: "champion"));
        }

        var upSince = DateTimeOffset.UtcNow;
        Volatile.Write(ref up, true);
        await using var restarted = await ServerProcess.StartAsync(_data, FastRetries);
        var reader = new MlflowClient(new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) }, "/api/v1");
        JsonArray deliveries = [];
        await WaitUntilAsync(async () =>
        {
            deliveries = await DeliveriesAsync(reader, webhookId);
            return deliveries.Count == 4 && deliveries.All(d => (string?)d!["status"] == "succeeded");
        });

        Assert.Equal(eventIds.Order(), deliveries.Select(d => (long)d!["event_id"]!).Order());
        foreach (var delivery in deliveries.Where(d => (long)d!["event_id"]! != eventIds[^1]))
        {
            var attempts = delivery!["attempts"]!.AsArray();
            Assert.True((int?)attempts[0]!["http_status"] == 503, $"first attempt: {attempts[0]!.ToJsonString()}");
            Assert.Equal(200, (int?)attempts[^1]!["http_status"]);
            Assert.Equal(deliveryIdsBeforeKill[(long)delivery["event_id"]!], (string?)delivery["delivery_id"]);
        }

        // Sent once each after the restart: no delivery was fanned out twice or sent by a stale lease.
        var afterRestart = receiver.Received("ci").Where(r => r.Time >= upSince).ToList();
        Assert.Equal(eventIds.Order(), afterRestart.Select(r => r.EventId!.Value).Order());
    }

    [Fact]
    public async Task A_bad_webhook_setting_stops_the_server_at_start_naming_it()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(_data, "--Cairn:Webhooks:MaxAttempts", "0");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Cairn:Webhooks:MaxAttempts must be between 1 and 100", output, StringComparison.Ordinal);
    }

    private static async Task<JsonArray> DeliveriesAsync(MlflowClient api, string webhookId) =>
        (await api.GetAsync($"webhooks/{webhookId}/deliveries")).Ok()["deliveries"]!.AsArray();

    private static async Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting");
            await Task.Delay(50);
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
