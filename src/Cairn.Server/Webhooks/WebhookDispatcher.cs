using System.Threading.Channels;
using Cairn.Server.Data;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Webhooks;

/// <summary>
/// The background sender: fans new registry events out into deliveries, claims due ones and sends them, with at
/// most <see cref="WebhookOptions.MaxConcurrentDeliveries"/> in flight and one per webhook. Requests never wait
/// for it: they only write rows, and at most <see cref="Wake"/> it. Pending deliveries are rows, so a restart resumes them.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSender sender, IOptions<WebhookOptions> options, TimeProvider clock, ILogger<WebhookDispatcher> logger)
    : BackgroundService
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly Dictionary<string, Task> _inFlight = new(StringComparer.Ordinal);

    // One background writer at a time: when many attempts end together (receivers timing out in step), their
    // transactions queue here instead of all contending for SQLite's write lock with the API's own writes.
    private readonly SemaphoreSlim _writer = new(1, 1);

    /// <summary>Who holds this process's leases.</summary>
    public string Owner { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Asks for a look at the outbox now rather than at the next poll (a test delivery was queued, a send ended).</summary>
    public void Wake() => _wake.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var moreWaiting = false;
                try
                {
                    moreWaiting = await DispatchOnceAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    LogDispatchFailed(logger, e);
                }

                if (!moreWaiting)
                {
                    await WaitForWorkAsync(stoppingToken);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await Task.WhenAll(_inFlight.Values);
        }
    }

    /// <summary>One round: fan out, then fill the free sending slots. True when more events wait than one round took.</summary>
    private async Task<bool> DispatchOnceAsync(CancellationToken cancellationToken)
    {
        foreach (var done in _inFlight.Where(p => p.Value.IsCompleted).Select(p => p.Key).ToList())
        {
            _inFlight.Remove(done);
        }

        var free = options.Value.MaxConcurrentDeliveries - _inFlight.Count;
        var (moreWaiting, claimed) = await WriteAsync(async db =>
        {
            var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
            var more = await WebhookOutbox.FanOutAsync(db, now, cancellationToken);
            var leaseUntil = now + (long)options.Value.Lease.TotalMilliseconds;
            var deliveries = free <= 0 ? [] : await DeliveryLeases.ClaimAsync(db, Owner, now, leaseUntil, free, _inFlight.Keys, cancellationToken);
            return (more, deliveries);
        }, cancellationToken);

        foreach (var delivery in claimed)
        {
            _inFlight[delivery.WebhookId] = DeliverAsync(delivery, cancellationToken);
        }

        return moreWaiting;
    }

    private async Task DeliverAsync(ClaimedDelivery delivery, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            var outcome = await sender.SendAsync(delivery, cancellationToken);
            var recorded = await WriteAsync(
                db => DeliveryLog.RecordAsync(db, delivery, outcome, Owner, options.Value, clock.GetUtcNow().ToUnixTimeMilliseconds(), cancellationToken),
                cancellationToken);
            if (!recorded)
            {
                LogLeaseLost(logger, delivery.Uuid, delivery.WebhookId);
            }
            else if (!outcome.Succeeded)
            {
                LogAttemptFailed(logger, delivery.Uuid, delivery.WebhookId, delivery.AttemptCount + 1, outcome.Error);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await ReleaseAsync(delivery);
        }
        catch (Exception e)
        {
            LogDeliveryFailed(logger, e, delivery.Uuid, delivery.WebhookId);
        }
        finally
        {
            Wake();
        }
    }

    /// <summary>The server is stopping mid-send: hand the delivery back so the next start sends it without waiting out the lease.</summary>
    private async Task ReleaseAsync(ClaimedDelivery delivery)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await WriteAsync(db => DeliveryLeases.ReleaseAsync(db, delivery.Id, Owner, timeout.Token), timeout.Token);
        }
        catch (Exception e)
        {
            LogDeliveryFailed(logger, e, delivery.Uuid, delivery.WebhookId);
        }
    }

    private async Task<T> WriteAsync<T>(Func<CairnDb, Task<T>> write, CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await write(scope.ServiceProvider.GetRequiredService<CairnDb>());
        }
        finally
        {
            _writer.Release();
        }
    }

    private async Task WaitForWorkAsync(CancellationToken stoppingToken)
    {
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        poll.CancelAfter(options.Value.PollInterval);
        try
        {
            await _wake.Reader.ReadAsync(poll.Token);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override void Dispose()
    {
        _writer.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook dispatch round failed; retrying at the next poll")]
    private static partial void LogDispatchFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId}: attempt {Attempt} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, string deliveryId, string webhookId, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId}: the lease ran out or the webhook was deleted before the attempt was recorded")]
    private static partial void LogLeaseLost(ILogger logger, string deliveryId, string webhookId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} to webhook {WebhookId} could not be processed")]
    private static partial void LogDeliveryFailed(ILogger logger, Exception exception, string deliveryId, string webhookId);
}
