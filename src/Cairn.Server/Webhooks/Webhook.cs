namespace Cairn.Server.Webhooks;

/// <summary>
/// A subscription to registry events: each event whose action is in <see cref="Events"/> is POSTed to
/// <see cref="Url"/>, signed with <see cref="Secret"/>. Only events written after the subscription are sent.
/// </summary>
public sealed class Webhook
{
    /// <summary>32 hex digits.</summary>
    public required string Id { get; set; }

    public required string Name { get; set; }
    public required string Url { get; set; }

    /// <summary>Registry action names (<c>model_version.created</c>, …), as in <see cref="Registry.RegistryActions"/>.</summary>
    public List<string> Events { get; set; } = [];

    /// <summary>The HMAC key, encrypted (<see cref="WebhookSecrets"/>). Kept to sign deliveries; answered only once, when the webhook is created.</summary>
    public required string Secret { get; set; }

    public string? Description { get; set; }
    public string Status { get; set; } = WebhookStatus.Active;
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }

    /// <summary>The newest registry event when the webhook was created; it receives only events after this one.</summary>
    public long AfterEventId { get; set; }
}

/// <summary>A disabled webhook gets no new deliveries, and its pending ones wait until it is active again.</summary>
public static class WebhookStatus
{
    public const string Active = "active";
    public const string Disabled = "disabled";

    public static readonly string[] All = [Active, Disabled];

    public static string? Canonical(string? status) =>
        All.FirstOrDefault(s => string.Equals(s, status?.Trim(), StringComparison.OrdinalIgnoreCase));
}
