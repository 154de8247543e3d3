using Cairn.Server.Registry;
using Cairn.Server.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Fan-out: each event once per matching webhook, in bounded transactions, the cursor at the last event.</summary>
public sealed class WebhookOutboxTests : MigratedDatabase
{
    private const int Events = 400;

    protected override async Task SeedAsync()
    {
        for (var i = 1; i <= Events; i++)
        {
            Db.RegistryEvents.Add(new RegistryEvent
            {
                Time = i,
                Actor = "trainer-1",
                Action = i % 2 == 0 ? RegistryActions.VersionCreated : RegistryActions.AliasSet,
                ModelName = "churn",
                Version = i,
            });
        }

        Db.Webhooks.AddRange(
            new Webhook { Id = "all", Name = "all", Url = "http://127.0.0.1:9/", Secret = "s", Events = [.. RegistryActions.All] },
            new Webhook { Id = "versions", Name = "versions", Url = "http://127.0.0.1:9/", Secret = "s", Events = [RegistryActions.VersionCreated] },
            new Webhook { Id = "late", Name = "late", Url = "http://127.0.0.1:9/", Secret = "s", Events = [.. RegistryActions.All], AfterEventId = 300 },
            new Webhook { Id = "off", Name = "off", Url = "http://127.0.0.1:9/", Secret = "s", Events = [.. RegistryActions.All], Status = WebhookStatus.Disabled });
        await Db.SaveChangesAsync();
    }

    [Fact]
    public async Task Every_event_becomes_one_delivery_per_matching_webhook_over_bounded_transactions()
    {
        var rounds = 1;
        while (await WebhookOutbox.FanOutAsync(Db, now: 5))
        {
            rounds++;
        }

        var deliveries = await Db.WebhookDeliveries.AsNoTracking().ToListAsync();
        var cursor = await Db.WebhookOutboxCursors.AsNoTracking().SingleAsync();
        Assert.Equal(Events + (Events / 2) + 100, deliveries.Count);
        Assert.True(rounds >= 2, $"{deliveries.Count} deliveries in {rounds} round(s)");
        Assert.Equal(Events, cursor.LastEventId);
        Assert.Equal(Events, deliveries.Count(d => d.WebhookId == "all"));
        Assert.All(deliveries.Where(d => d.WebhookId == "versions"), d => Assert.Equal(RegistryActions.VersionCreated, d.Action));
        Assert.Equal(Events / 2, deliveries.Count(d => d.WebhookId == "versions"));
        Assert.Equal(Enumerable.Range(301, 100).Select(i => (long?)i), deliveries.Where(d => d.WebhookId == "late").Select(d => d.EventId).Order());
        Assert.DoesNotContain(deliveries, d => d.WebhookId == "off");
        Assert.Single(deliveries.GroupBy(d => (d.WebhookId, d.EventId)).Select(g => g.Count()).Distinct());
        Assert.Equal(deliveries.Count, deliveries.Select(d => d.Uuid).Distinct().Count());
        Assert.All(deliveries, d =>
        {
            Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", d.Uuid);
            Assert.Equal((DeliveryStatus.Pending, 0, 5L, 0L), (d.Status, d.AttemptCount, d.NextAttemptTime, d.LeaseUntil));
        });
        Assert.False(await WebhookOutbox.FanOutAsync(Db, now: 6));
        Assert.Equal(deliveries.Count, await Db.WebhookDeliveries.CountAsync());
    }
}
