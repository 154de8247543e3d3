namespace Cairn.Server.Webhooks;

/// <summary>
/// One event on its way to one webhook: the signed payload, where it stands, and when it is next due. A sender
/// owns it while <see cref="LeaseUntil"/> is in the future, so replicas can share the work without sending twice.
/// </summary>
public sealed class WebhookDelivery
{
    public long Id { get; set; }
    public required string WebhookId { get; set; }

    /// <summary>Sent as <c>X-MLflow-Delivery-Id</c>; the same on every attempt, so a receiver can drop repeats.</summary>
    public required string Uuid { get; set; }

    /// <summary>The registry event delivered; null for a test delivery.</summary>
    public long? EventId { get; set; }

    public required string Action { get; set; }

    /// <summary>
    /// The JSON body of a test delivery. Null for an event's: its body is built from the audit row, which never
    /// changes, so every attempt sends the same bytes without a copy per subscriber.
    /// </summary>
    public string? Payload { get; set; }

    public string Status { get; set; } = DeliveryStatus.Pending;
    public int AttemptCount { get; set; }
    public long CreationTime { get; set; }
    public long NextAttemptTime { get; set; }
    public long? CompletionTime { get; set; }

    /// <summary>Until when (ms) a sender owns the delivery; 0 when nobody does.</summary>
    public long LeaseUntil { get; set; }

    public string? LeaseOwner { get; set; }
    public List<WebhookDeliveryAttempt> Attempts { get; set; } = [];
}

/// <summary>One try at sending a delivery, as the delivery log shows it.</summary>
public sealed class WebhookDeliveryAttempt
{
    public long Id { get; set; }
    public long DeliveryId { get; set; }
    public int Number { get; set; }
    public long Time { get; set; }
    public int DurationMs { get; set; }

    /// <summary>The receiver's status code; null when no answer came (timeout, refused connection).</summary>
    public int? HttpStatus { get; set; }

    public string? Error { get; set; }
}

public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    public const string Failed = "failed";
}
