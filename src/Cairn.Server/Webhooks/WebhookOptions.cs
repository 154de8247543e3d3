using System.ComponentModel.DataAnnotations;

namespace Cairn.Server.Webhooks;

/// <summary>How webhook deliveries are sent and retried (<c>Cairn:Webhooks:*</c>), validated at start.</summary>
public sealed class WebhookOptions : IValidatableObject
{
    public const string Section = "Cairn:Webhooks";

    /// <summary>Attempts per delivery, the first included; after the last failed one the delivery is marked failed.</summary>
    [Range(1, 100, ErrorMessage = "Cairn:Webhooks:MaxAttempts must be between {1} and {2}.")]
    public int MaxAttempts { get; set; } = 10;

    /// <summary>The wait after the first failed attempt; it doubles after each further one (with ±20% jitter).</summary>
    [Range(0.01, 3600, ErrorMessage = "Cairn:Webhooks:FirstRetryDelaySeconds must be between {1} and {2}.")]
    public double FirstRetryDelaySeconds { get; set; } = 1;

    [Range(0.01, 86400, ErrorMessage = "Cairn:Webhooks:MaxRetryDelaySeconds must be between {1} and {2}.")]
    public double MaxRetryDelaySeconds { get; set; } = 300;

    /// <summary>How long one attempt may take before it counts as failed.</summary>
    [Range(0.1, 300, ErrorMessage = "Cairn:Webhooks:TimeoutSeconds must be between {1} and {2}.")]
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>Deliveries in flight at once, across all webhooks; each webhook has at most one.</summary>
    [Range(1, 1000, ErrorMessage = "Cairn:Webhooks:MaxConcurrentDeliveries must be between {1} and {2}.")]
    public int MaxConcurrentDeliveries { get; set; } = 16;

    /// <summary>How often the sender looks for new registry events and due retries when nothing wakes it sooner.</summary>
    [Range(0.01, 60, ErrorMessage = "Cairn:Webhooks:PollIntervalSeconds must be between {1} and {2}.")]
    public double PollIntervalSeconds { get; set; } = 1;

    /// <summary>
    /// Whether deliveries may go to loopback, private and link-local addresses (<see cref="PrivateNetworkGuard"/>).
    /// Off by default, as in GitLab; turn it on when receivers such as a CI server live on the internal network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    public TimeSpan Timeout => TimeSpan.FromSeconds(TimeoutSeconds);

    public TimeSpan PollInterval => TimeSpan.FromSeconds(PollIntervalSeconds);

    /// <summary>How long a sender owns a claimed delivery: the attempt and writing down its result.</summary>
    public TimeSpan Lease => (2 * Timeout) + TimeSpan.FromSeconds(1);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (MaxRetryDelaySeconds < FirstRetryDelaySeconds)
        {
            yield return new ValidationResult(
                $"Cairn:Webhooks:MaxRetryDelaySeconds ({MaxRetryDelaySeconds}) must not be below Cairn:Webhooks:FirstRetryDelaySeconds ({FirstRetryDelaySeconds}).",
                [nameof(MaxRetryDelaySeconds)]);
        }
    }
}
