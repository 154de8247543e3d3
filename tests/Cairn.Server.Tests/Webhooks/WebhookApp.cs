using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>The server in-process with retries measured in tens of milliseconds, and helpers for its webhook routes.</summary>
public sealed class WebhookApp : IAsyncDisposable
{
    public WebhookApp(Dictionary<string, string?>? settings = null)
    {
        var merged = new Dictionary<string, string?>
        {
            ["Cairn:Webhooks:PollIntervalSeconds"] = "0.05",
            ["Cairn:Webhooks:FirstRetryDelaySeconds"] = "0.05",
            ["Cairn:Webhooks:MaxRetryDelaySeconds"] = "0.2",
            ["Cairn:Webhooks:MaxAttempts"] = "4",
            ["Cairn:Webhooks:TimeoutSeconds"] = "5",
            ["Cairn:Webhooks:AllowPrivateNetworks"] = "true", // the test receivers listen on loopback
        };
        foreach (var (key, value) in settings ?? [])
        {
            merged[key] = value;
        }

        App = new CairnApp(merged);
        Api = App.Mlflow("/api/v1");
    }

    public CairnApp App { get; }

    /// <summary>A client for <c>/api/v1</c>.</summary>
    public MlflowClient Api { get; }

    public async Task<(string Id, string Secret)> CreateAsync(string name, string url, string[] events, string? secret = null)
    {
        var response = await Api.PostAsync("webhooks", new { name, url, events, secret });
        Assert.True(response.Status == HttpStatusCode.Created, $"expected 201, got {(int)response.Status}: {response.Text}");
        var webhook = response.Body!["webhook"]!;
        return ((string)webhook["webhook_id"]!, (string)webhook["secret"]!);
    }

    public Task<long> InsertEventAsync(string action, string model = "churn", int? version = null, string? alias = null, string? before = null, string? after = null) =>
        RegistryEvents.InsertAsync(App.Services, action, model, version, alias, before, after);

    public Task<JsonArray> DeliveriesAsync(string webhookId) => Api.DeliveriesAsync(webhookId);

    /// <summary>Polls the delivery log until <paramref name="done"/> holds for it.</summary>
    public Task<JsonArray> WaitForDeliveriesAsync(string webhookId, Func<JsonArray, bool> done, TimeSpan? timeout = null) =>
        Api.WaitForDeliveriesAsync(webhookId, done, timeout);

    public ValueTask DisposeAsync() => App.DisposeAsync();
}
