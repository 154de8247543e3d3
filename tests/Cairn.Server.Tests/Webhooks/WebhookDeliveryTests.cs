using System.Net;
using System.Security.Cryptography;
using System.Text;
using Cairn.Server.Registry;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Registry events reach a real receiver: signed as MLflow signs, filtered by subscription, retried, given up on.</summary>
public sealed class WebhookDeliveryTests
{
    [Fact]
    public async Task A_delivery_carries_mlflows_headers_and_a_signature_that_verifies_with_the_secret()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookApp();
        var (_, generated) = await app.CreateAsync("generated", receiver.Url("generated"), [RegistryActions.AliasSet]);
        var (_, given) = await app.CreateAsync("given", receiver.Url("given"), [RegistryActions.AliasSet], secret: "s3cret");

        var eventId = await app.InsertEventAsync(RegistryActions.AliasSet, "churn", version: 3, alias: "champion",
            before: """{"alias":"champion","version":"2"}""", after: """{"alias":"champion","version":"3"}""");

        foreach (var (name, secret) in new[] { ("generated", generated), ("given", given) })
        {
            var request = (await receiver.WaitForAsync(name, 1)).Single();
            Assert.StartsWith("application/json", request.Headers["Content-Type"], StringComparison.Ordinal);
            var timestamp = long.Parse(request.Headers["X-MLflow-Timestamp"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp, 0, 60);
            Assert.True(Guid.TryParse(request.DeliveryId, out _));
            Assert.Equal(Sign(secret, request.DeliveryId, timestamp, request.Body), request.Headers["X-MLflow-Signature"]);
            Assert.NotEqual(Sign("wrong", request.DeliveryId, timestamp, request.Body), request.Headers["X-MLflow-Signature"]);

            var payload = request.Json;
            Assert.Equal("model_version_alias", (string?)payload["entity"]);
            Assert.Equal("created", (string?)payload["action"]);
            Assert.InRange(DateTimeOffset.Parse((string)payload["timestamp"]!, System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow);
            var data = payload["data"]!;
            Assert.Equal("churn", (string?)data["name"]);
            Assert.Equal("champion", (string?)data["alias"]);
            Assert.Equal("3", (string?)data["version"]);
            Assert.Equal(eventId, (long?)data["event_id"]);
            Assert.Equal("trainer-1", (string?)data["actor"]);
            Assert.Equal("2", (string?)data["before"]!["version"]);
            Assert.Equal("3", (string?)data["after"]!["version"]);
        }
    }

    [Fact]
    public async Task Each_webhook_gets_only_the_events_it_subscribes_to_and_only_those_after_it_was_created()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookApp();
        await app.InsertEventAsync(RegistryActions.VersionCreated, version: 1);
        await app.CreateAsync("versions", receiver.Url("versions"), [RegistryActions.VersionCreated]);
        await app.CreateAsync("aliases", receiver.Url("aliases"), [RegistryActions.AliasSet, RegistryActions.AliasDeleted]);
        var (disabled, _) = await app.CreateAsync("disabled", receiver.Url("disabled"), [RegistryActions.VersionCreated]);
        await app.Api.SendAsync(HttpMethod.Patch, $"webhooks/{disabled}", new { status = "disabled" });

        await app.InsertEventAsync(RegistryActions.VersionCreated, version: 2, after: """{"source":"models:/m-1","run_id":"r1","tags":[{"key":"team","value":"growth"}]}""");
        await app.InsertEventAsync(RegistryActions.AliasSet, version: 2, alias: "champion");
        await app.InsertEventAsync(RegistryActions.StageChanged, version: 2);
        await app.InsertEventAsync(RegistryActions.AliasDeleted, alias: "champion");
        await app.InsertEventAsync(RegistryActions.VersionCreated, version: 3);

        var versions = await receiver.WaitForAsync("versions", 2);
        var aliases = await receiver.WaitForAsync("aliases", 2);
        await Task.Delay(300);

        Assert.Equal(["2", "3"], receiver.Received("versions").Select(r => (string)r.Json["data"]!["version"]!).Order());
        Assert.All(versions, r => Assert.Equal(RegistryActions.VersionCreated, r.Event));
        var v2 = versions.Single(r => (string?)r.Json["data"]!["version"] == "2").Json["data"]!;
        Assert.Equal("models:/m-1", (string?)v2["source"]);
        Assert.Equal("growth", (string?)v2["tags"]!["team"]);
        Assert.Equal([RegistryActions.AliasSet, RegistryActions.AliasDeleted], receiver.Received("aliases").Select(r => r.Event).Order());
        Assert.Empty(receiver.Received("disabled"));
    }

    [Fact]
    public async Task A_receiver_that_fails_twice_gets_the_delivery_again_with_back_off_and_every_attempt_is_logged()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer("flaky", n => n <= 2 ? 500 : 204);
        await using var app = new WebhookApp();
        var (id, _) = await app.CreateAsync("flaky", receiver.Url("flaky"), [RegistryActions.ModelCreated]);

        var eventId = await app.InsertEventAsync(RegistryActions.ModelCreated);

        var delivery = (await app.WaitForDeliveriesAsync(id, d => d.Count == 1 && (string?)d[0]!["status"] == "succeeded")).Single()!;
        var requests = receiver.Received("flaky");
        Assert.Equal(3, requests.Count);
        Assert.Single(requests.Select(r => r.DeliveryId).Distinct());
        Assert.Equal((string?)delivery["delivery_id"], requests[0].DeliveryId);
        Assert.Equal(eventId, (long?)delivery["event_id"]);
        Assert.Equal(3, (int?)delivery["attempt_count"]);
        var attempts = delivery["attempts"]!.AsArray();
        Assert.Equal([500, 500, 204], attempts.Select(a => (int)a!["http_status"]!));
        Assert.Contains("500", (string?)attempts[0]!["error"], StringComparison.Ordinal);
        Assert.Null(attempts[2]!["error"]);
        Assert.All(attempts, a => Assert.True((int)a!["duration_ms"]! >= 0));

        // Configured first retry delay 0.05 s, doubling, with at most 20% jitter either way.
        var times = attempts.Select(a => (long)a!["timestamp"]!).ToArray();
        Assert.True(times[1] - times[0] >= 40, $"second attempt {times[1] - times[0]} ms after the first");
        Assert.True(times[2] - times[1] >= 80, $"third attempt {times[2] - times[1]} ms after the second");
    }

    [Fact]
    public async Task After_the_last_allowed_attempt_the_delivery_is_failed_and_not_sent_again()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer("down", _ => 503);
        await using var app = new WebhookApp(new() { ["Cairn:Webhooks:MaxAttempts"] = "3" });
        var (id, _) = await app.CreateAsync("down", receiver.Url("down"), [RegistryActions.ModelCreated]);

        await app.InsertEventAsync(RegistryActions.ModelCreated);

        var delivery = (await app.WaitForDeliveriesAsync(id, d => d.Count == 1 && (string?)d[0]!["status"] == "failed")).Single()!;
        await Task.Delay(500);
        Assert.Equal(3, receiver.Received("down").Count);
        Assert.Equal(3, delivery["attempts"]!.AsArray().Count);
        Assert.Null(delivery["next_attempt_timestamp"]);
        Assert.NotNull(delivery["completion_timestamp"]);
    }

    [Fact]
    public async Task Test_queues_an_example_event_and_answers_before_it_is_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookApp();
        var (id, secret) = await app.CreateAsync("ci", receiver.Url("ci"), [RegistryActions.VersionCreated, RegistryActions.AliasSet]);

        var queued = await app.Api.PostAsync($"webhooks/{id}/test", new { @event = RegistryActions.AliasSet });

        Assert.Equal(HttpStatusCode.Accepted, queued.Status);
        Assert.Equal("pending", (string?)queued.Body!["delivery"]!["status"]);
        var request = (await receiver.WaitForAsync("ci", 1)).Single();
        Assert.Equal((string?)queued.Body["delivery"]!["delivery_id"], request.DeliveryId);
        Assert.Equal(RegistryActions.AliasSet, request.Event);
        Assert.Equal("example_alias", (string?)request.Json["data"]!["alias"]);
        Assert.Equal(Sign(secret, request.DeliveryId, long.Parse(request.Headers["X-MLflow-Timestamp"], System.Globalization.CultureInfo.InvariantCulture), request.Body), request.Headers["X-MLflow-Signature"]);
        await app.WaitForDeliveriesAsync(id, d => (string?)d.Single()!["status"] == "succeeded");
        var badEvent = await app.Api.PostAsync($"webhooks/{id}/test", new { @event = "nope.created" });
        badEvent.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'event'");
    }

    /// <summary>MLflow's scheme, written out independently of the server's code: v1,base64(HMAC-SHA256(secret, "id.timestamp.body")).</summary>
    private static string Sign(string secret, string deliveryId, long timestamp, string body) =>
        "v1," + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes($"{deliveryId}.{timestamp}.{body}")));
}
