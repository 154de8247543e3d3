using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Webhooks;

/// <summary>Writes each attempt down, and with it where the delivery stands next: done, failed, or due again later.</summary>
public static class DeliveryLog
{
    /// <summary>
    /// Records the attempt and settles the delivery in one transaction, if <paramref name="owner"/> still holds its
    /// lease; returns false when it does not (the delivery was deleted, or its lease ran out and another sender took it).
    /// </summary>
    public static async Task<bool> RecordAsync(
        CairnDb db, ClaimedDelivery delivery, AttemptOutcome outcome, string owner, WebhookOptions options, long now, CancellationToken cancellationToken = default)
    {
        var number = delivery.AttemptCount + 1;
        var status = outcome.Succeeded ? DeliveryStatus.Succeeded
            : number >= options.MaxAttempts ? DeliveryStatus.Failed
            : DeliveryStatus.Pending;
        var nextAttempt = status == DeliveryStatus.Pending ? now + (long)RetrySchedule.DelayAfter(number, options).TotalMilliseconds : now;
        long? completion = status == DeliveryStatus.Pending ? null : now;

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var settled = await db.WebhookDeliveries
            .Where(d => d.Id == delivery.Id && d.LeaseOwner == owner)
            .ExecuteUpdateAsync(
                s => s.SetProperty(d => d.AttemptCount, number)
                    .SetProperty(d => d.Status, status)
                    .SetProperty(d => d.NextAttemptTime, nextAttempt)
                    .SetProperty(d => d.CompletionTime, completion)
                    .SetProperty(d => d.LeaseUntil, 0L)
                    .SetProperty(d => d.LeaseOwner, (string?)null),
                cancellationToken);
        if (settled == 0)
        {
            return false;
        }

        db.WebhookDeliveryAttempts.Add(new WebhookDeliveryAttempt
        {
            DeliveryId = delivery.Id,
            Number = number,
            Time = outcome.Time,
            DurationMs = outcome.DurationMs,
            HttpStatus = outcome.HttpStatus,
            Error = outcome.Error,
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }
}
