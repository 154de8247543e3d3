using System.Threading.Channels;

namespace Cairn.Client.Runs;

/// <summary>
/// The background half of a <see cref="RunScope"/>: takes points from an unbounded queue (logging never waits
/// for the network), sends them in log-batch requests one after another (so each key's points keep their order),
/// retries transient failures with exponential back-off, and completes flush markers once everything queued
/// before them is stored. A batch the server rejects (a bad key, a deleted run) is dropped and reported by the next flush.
/// </summary>
internal sealed class MetricSender : IAsyncDisposable
{
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Func<IReadOnlyList<Metric>, CancellationToken, Task> _send;
    private readonly RunScopeOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private CairnApiException? _fault;

    public MetricSender(Func<IReadOnlyList<Metric>, CancellationToken, Task> send, RunScopeOptions options)
    {
        _send = send;
        _options = options;
        _loop = Task.Run(RunAsync);
    }

    public void Enqueue(Metric point)
    {
        if (!_queue.Writer.TryWrite(point))
        {
            throw new ObjectDisposedException(nameof(RunScope), "The run scope has ended; metrics can no longer be logged to it.");
        }
    }

    /// <summary>Waits until every point queued before this call is stored; throws if any batch could not be.</summary>
    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        var marker = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_queue.Writer.TryWrite(marker))
        {
            await marker.Task.WaitAsync(cancellationToken);
        }

        // Each failure is reported once, by the first flush after it.
        if (Interlocked.Exchange(ref _fault, null) is { } fault)
        {
            throw new CairnApiException(fault.StatusCode, fault.ErrorCode, $"Metrics could not be sent: {fault.ServerMessage}", fault);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var batch = new List<Metric>(_options.MaxBatchSize);
        var markers = new List<TaskCompletionSource>();
        while (await _queue.Reader.WaitToReadAsync())
        {
            Drain(batch, markers);
            if (batch.Count < _options.MaxBatchSize && markers.Count == 0)
            {
                await Task.Delay(_options.Linger);
                Drain(batch, markers);
            }

            if (batch.Count > 0)
            {
                await SendWithRetriesAsync(batch);
                batch.Clear();
            }

            foreach (var marker in markers)
            {
                marker.TrySetResult();
            }

            markers.Clear();
        }
    }

    private void Drain(List<Metric> batch, List<TaskCompletionSource> markers)
    {
        while (batch.Count < _options.MaxBatchSize && _queue.Reader.TryRead(out var item))
        {
            if (item is Metric point)
            {
                batch.Add(point);
            }
            else
            {
                markers.Add((TaskCompletionSource)item);
            }
        }
    }

    private async Task SendWithRetriesAsync(List<Metric> batch)
    {
        var wait = _options.InitialBackoff;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await _send(batch, _stop.Token);
                return;
            }
            catch (CairnApiException e) when (e.IsTransient && attempt < _options.MaxRetries)
            {
                await Task.Delay(wait);
                wait = TimeSpan.FromTicks(Math.Min(wait.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
            catch (CairnApiException e)
            {
                Interlocked.CompareExchange(ref _fault, e, null);
                return;
            }
        }
    }
}
