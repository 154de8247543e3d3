namespace Cairn.Server.Webhooks;

/// <summary>
/// Exponential back-off with jitter: after attempt n fails, wait FirstRetryDelay × 2^(n−1), capped at MaxRetryDelay,
/// then scaled by a random 0.8–1.2 so deliveries that failed together (a receiver's outage) do not retry together.
/// </summary>
public static class RetrySchedule
{
    public static TimeSpan DelayAfter(int failedAttempts, WebhookOptions options, Random? random = null)
    {
        var exponent = Math.Min(Math.Max(failedAttempts - 1, 0), 30);
        var seconds = Math.Min(options.FirstRetryDelaySeconds * Math.Pow(2, exponent), options.MaxRetryDelaySeconds);
        var jitter = 0.8 + (0.4 * (random ?? Random.Shared).NextDouble());
        return TimeSpan.FromSeconds(seconds * jitter);
    }
}
