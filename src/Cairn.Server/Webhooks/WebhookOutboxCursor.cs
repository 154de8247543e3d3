namespace Cairn.Server.Webhooks;

/// <summary>The single row that says how far registry events have been fanned out into deliveries.</summary>
public sealed class WebhookOutboxCursor
{
    public const int SingleId = 1;

    public int Id { get; set; }

    /// <summary>Every registry event up to this id has its deliveries.</summary>
    public long LastEventId { get; set; }
}
