namespace Cairn.Server.Webhooks;

/// <summary>A webhook as the API answers it (snake_case). <see cref="Secret"/> is set only in the answer to create.</summary>
public sealed record WebhookWire(
    string WebhookId,
    string Name,
    string Url,
    IReadOnlyList<string> Events,
    string? Description,
    string Status,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? Secret = null)
{
    /// <summary>The webhook as answered; <paramref name="plainSecret"/> only in the answer to create.</summary>
    public static WebhookWire From(Webhook w, string? plainSecret = null) =>
        new(w.Id, w.Name, w.Url, w.Events, w.Description, w.Status, w.CreationTime, w.LastUpdatedTime, plainSecret);
}

public sealed record WebhookResponse(WebhookWire Webhook);

public sealed record WebhookListResponse(IReadOnlyList<WebhookWire> Webhooks);

/// <summary>A delivery and its attempts, newest deliveries first in the log.</summary>
public sealed record DeliveryWire(
    string DeliveryId,
    long? EventId,
    string Event,
    string Status,
    int AttemptCount,
    long CreationTimestamp,
    long? NextAttemptTimestamp,
    long? CompletionTimestamp,
    IReadOnlyList<AttemptWire> Attempts)
{
    public static DeliveryWire From(WebhookDelivery d) => new(
        d.Uuid,
        d.EventId,
        d.Action,
        d.Status,
        d.AttemptCount,
        d.CreationTime,
        d.Status == DeliveryStatus.Pending ? d.NextAttemptTime : null,
        d.CompletionTime,
        [.. d.Attempts.OrderBy(a => a.Number).Select(a => new AttemptWire(a.Number, a.Time, a.HttpStatus, a.DurationMs, a.Error))]);
}

public sealed record AttemptWire(int Attempt, long Timestamp, int? HttpStatus, int DurationMs, string? Error);

public sealed record DeliveryResponse(DeliveryWire Delivery);

public sealed record DeliveryListResponse(IReadOnlyList<DeliveryWire> Deliveries, string? NextPageToken);
