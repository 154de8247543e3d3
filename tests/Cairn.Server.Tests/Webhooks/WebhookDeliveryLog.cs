using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>A webhook's delivery log through <c>/api/v1</c>, of an in-process server or a server process alike.</summary>
public static class WebhookDeliveryLog
{
    public static async Task<JsonArray> DeliveriesAsync(this MlflowClient api, string webhookId) =>
        (await api.GetAsync($"webhooks/{webhookId}/deliveries")).Ok()["deliveries"]?.AsArray() ?? [];

    /// <summary>Polls the delivery log until <paramref name="done"/> holds for it.</summary>
    public static async Task<JsonArray> WaitForDeliveriesAsync(this MlflowClient api, string webhookId, Func<JsonArray, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var deliveries = await api.DeliveriesAsync(webhookId);
            if (done(deliveries))
            {
                return deliveries;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The delivery log of {webhookId} did not reach the expected state: {deliveries.ToJsonString()}");
            }

            await Task.Delay(20);
        }
    }
}
