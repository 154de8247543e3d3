using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Webhooks;

/// <summary>A delivery a sender has claimed, with what it needs to send it.</summary>
public sealed record ClaimedDelivery(long Id, string Uuid, string WebhookId, string Url, string Secret, string Payload, int AttemptCount);

/// <summary>
/// Claims due deliveries with a lease (<c>UPDATE … WHERE lease_until &lt; now</c>), so several senders, in one
/// process or in replicas, never hold the same delivery at once. A sender that dies leaves its lease to run out;
/// then the delivery is due again. The claim re-checks the lease in its own <c>WHERE</c>, so on PostgreSQL too two
/// replicas picking the same candidates cannot both win: the second UPDATE finds the lease taken and claims nothing.
/// (A single <c>UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …</c> would save the losing replica
/// its wasted round trip; not needed at one claim per poll.)
/// </summary>
public static class DeliveryLeases
{
    /// <summary>
    /// Claims up to <paramref name="limit"/> due deliveries of active webhooks, at most one per webhook (its oldest due
    /// one) and none of <paramref name="busyWebhooks"/>, so one slow receiver holds one sending slot and never the
    /// others'. One index seek per webhook, however many deliveries wait.
    /// </summary>
    public static async Task<List<ClaimedDelivery>> ClaimAsync(
        CairnDb db, string owner, long now, long leaseUntil, int limit, IReadOnlyCollection<string> busyWebhooks, CancellationToken cancellationToken = default)
    {
        var busy = busyWebhooks.ToArray();
        var candidates = await db.Webhooks
            .Where(w => w.Status == WebhookStatus.Active && !busy.Contains(w.Id))
            .Select(w => db.WebhookDeliveries
                .Where(d => d.WebhookId == w.Id && d.Status == DeliveryStatus.Pending && d.NextAttemptTime <= now && d.LeaseUntil < now)
                .OrderBy(d => d.Id)
                .Select(d => (long?)d.Id)
                .FirstOrDefault())
            .Where(id => id != null)
            .OrderBy(id => id)
            .Take(limit)
            .Select(id => id!.Value)
            .ToListAsync(cancellationToken);
        if (candidates.Count == 0)
        {
            return [];
        }

        var claimed = await db.WebhookDeliveries
            .Where(d => candidates.Contains(d.Id) && d.Status == DeliveryStatus.Pending && d.LeaseUntil < now)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, leaseUntil).SetProperty(d => d.LeaseOwner, owner), cancellationToken);
        if (claimed == 0)
        {
            return [];
        }

        var rows = await (
                from d in db.WebhookDeliveries.Where(d => candidates.Contains(d.Id) && d.LeaseOwner == owner && d.LeaseUntil == leaseUntil)
                join w in db.Webhooks on d.WebhookId equals w.Id
                join e in db.RegistryEvents on d.EventId equals (long?)e.Id into events
                from e in events.DefaultIfEmpty()
                select new { d.Id, d.Uuid, d.WebhookId, w.Url, w.Secret, d.Payload, d.AttemptCount, Event = e })
            .AsNoTracking()
            .ToListAsync(cancellationToken);
        return [.. rows.Select(r => new ClaimedDelivery(r.Id, r.Uuid, r.WebhookId, r.Url, r.Secret, r.Payload ?? WebhookPayload.For(r.Event!), r.AttemptCount))];
    }

    /// <summary>Gives a claimed delivery back unsent (the server is stopping), so it is due again at once.</summary>
    public static Task<int> ReleaseAsync(CairnDb db, long deliveryId, string owner, CancellationToken cancellationToken = default) =>
        db.WebhookDeliveries
            .Where(d => d.Id == deliveryId && d.LeaseOwner == owner)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseUntil, 0L).SetProperty(d => d.LeaseOwner, (string?)null), cancellationToken);
}
