using Cairn.Server.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Two senders (replicas) sharing one database never hold the same delivery; a dead sender's lease runs out.</summary>
public sealed class DeliveryLeaseTests : MigratedDatabase
{
    private const long Now = 1_000_000;

    protected override async Task SeedAsync()
    {
        foreach (var id in (string[])["a", "b"])
        {
            Db.Webhooks.Add(new Webhook { Id = id, Name = id, Url = $"http://127.0.0.1:9/{id}", Secret = "s", Events = ["registered_model.created"] });
            for (var i = 0; i < 3; i++)
            {
                Db.WebhookDeliveries.Add(WebhookOutbox.NewDelivery(id, null, "registered_model.created", "{}", Now));
            }
        }

        Db.Webhooks.Add(new Webhook { Id = "off", Name = "off", Url = "http://127.0.0.1:9/off", Secret = "s", Status = WebhookStatus.Disabled });
        Db.WebhookDeliveries.Add(WebhookOutbox.NewDelivery("off", null, "registered_model.created", "{}", Now));
        await Db.SaveChangesAsync();
    }

    [Fact]
    public async Task A_claimed_delivery_is_invisible_to_another_sender_until_its_lease_runs_out()
    {
        var first = await DeliveryLeases.ClaimAsync(Db, "replica-1", Now, Now + 1000, 10, []);
        var second = await DeliveryLeases.ClaimAsync(Db, "replica-2", Now, Now + 1000, 10, first.Select(d => d.WebhookId).ToList());
        var secondWithoutBusyList = await DeliveryLeases.ClaimAsync(Db, "replica-2", Now + 500, Now + 1500, 10, []);
        var afterExpiry = await DeliveryLeases.ClaimAsync(Db, "replica-2", Now + 1001, Now + 2001, 10, []);

        Assert.Equal(["a", "b"], first.Select(d => d.WebhookId).Order());
        Assert.Empty(second);
        Assert.Equal(["a", "b"], secondWithoutBusyList.Select(d => d.WebhookId).Order());
        Assert.Empty(secondWithoutBusyList.Select(d => d.Id).Intersect(first.Select(d => d.Id)));
        Assert.Equal(first.Select(d => d.Id).Order(), afterExpiry.Select(d => d.Id).Order());
    }

    [Fact]
    public async Task A_sender_whose_lease_was_taken_over_cannot_record_its_attempt()
    {
        var mine = (await DeliveryLeases.ClaimAsync(Db, "replica-1", Now, Now + 1000, 1, [])).Single();
        var theirs = (await DeliveryLeases.ClaimAsync(Db, "replica-2", Now + 1001, Now + 2001, 10, [])).Single(d => d.Id == mine.Id);
        var outcome = new AttemptOutcome(Now + 1500, 10, 200, null);

        var recordedLate = await DeliveryLog.RecordAsync(Db, mine, outcome, "replica-1", new WebhookOptions(), Now + 1500);
        var recordedByOwner = await DeliveryLog.RecordAsync(Db, theirs, outcome, "replica-2", new WebhookOptions(), Now + 1500);

        Assert.False(recordedLate);
        Assert.True(recordedByOwner);
        var delivery = await Db.WebhookDeliveries.AsNoTracking().Include(d => d.Attempts).SingleAsync(d => d.Id == mine.Id);
        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Single(delivery.Attempts);
    }
}
