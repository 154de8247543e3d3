namespace Cairn.Server.Web.Shared;

/// <summary>
/// Calls a page back every few seconds while what it shows can still change (a running run), one call at a time:
/// a tick that is still busy when the next is due is skipped, so a slow query never piles up behind itself.
/// The page passes its own <c>InvokeAsync</c>, so each call runs on its circuit's dispatcher, and
/// <c>DispatchExceptionAsync</c>, so a failure reaches the circuit's error handling instead of vanishing.
/// </summary>
public sealed class LivePoll : IAsyncDisposable
{
    /// <summary>How often a running run's page looks for new data.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <param name="tick">Refreshes the page; answers false when there is nothing left to follow.</param>
    /// <param name="invoke">The component's <c>InvokeAsync</c>.</param>
    /// <param name="dispatchException">The component's <c>DispatchExceptionAsync</c>.</param>
    public LivePoll(Func<CancellationToken, Task<bool>> tick, Func<Func<Task>, Task> invoke, Func<Exception, Task> dispatchException)
    {
        _loop = RunAsync(tick, invoke, dispatchException, _stop.Token);
    }

    private static async Task RunAsync(
        Func<CancellationToken, Task<bool>> tick, Func<Func<Task>, Task> invoke, Func<Exception, Task> dispatchException, CancellationToken stop)
    {
        using var timer = new PeriodicTimer(Interval);
        var following = true;
        try
        {
            while (following && await timer.WaitForNextTickAsync(stop))
            {
                await invoke(async () =>
                {
                    try
                    {
                        following = await tick(stop);
                    }
                    catch (Exception e) when (!stop.IsCancellationRequested)
                    {
                        following = false;
                        await dispatchException(e);
                    }
                });
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // The page went away: nothing more to follow.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _stop.Dispose();
    }
}
