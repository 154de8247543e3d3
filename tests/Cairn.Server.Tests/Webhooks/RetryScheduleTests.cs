using Cairn.Server.Webhooks;

namespace Cairn.Server.Tests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly WebhookOptions Options = new() { FirstRetryDelaySeconds = 1, MaxRetryDelaySeconds = 60 };

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 4)]
    [InlineData(6, 32)]
    [InlineData(7, 60)]
    [InlineData(50, 60)]
    public void The_delay_doubles_per_failed_attempt_up_to_the_cap_within_20_percent_jitter(int failedAttempts, double seconds)
    {
        var random = new Random(42);
        var delays = Enumerable.Range(0, 200).Select(_ => RetrySchedule.DelayAfter(failedAttempts, Options, random).TotalSeconds).ToList();

        Assert.All(delays, d => Assert.InRange(d, seconds * 0.8, seconds * 1.2));
        Assert.True(delays.Max() - delays.Min() > seconds * 0.2, "the delays are jittered");
    }
}
