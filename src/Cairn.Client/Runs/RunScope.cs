namespace Cairn.Client.Runs;

/// <summary>
/// A started run to log to. <see cref="LogMetric"/> returns at once: points are buffered and sent in the
/// background in batches. Disposing the scope sends what is left and ends the run.
/// </summary>
/// <example>
/// <code>
/// await using var run = await client.Runs.StartAsync(experimentId, "baseline");
/// await run.LogParamsAsync(new Dictionary&lt;string, string&gt; { ["lr"] = "0.01" });
/// for (var step = 0; step &lt; 100; step++) run.LogMetric("loss", 1.0 / (step + 1), step);
/// </code>
/// </example>
public sealed class RunScope : IAsyncDisposable
{
    private readonly RunsClient _runs;
    private readonly MetricSender _sender;
    private RunStatus _endStatus = RunStatus.Finished;
    private bool _ended;

    internal RunScope(RunsClient runs, Run run, RunScopeOptions options)
    {
        _runs = runs;
        Run = run;
        _sender = new MetricSender((batch, ct) => runs.LogBatchAsync(run.Id, batch, cancellationToken: ct), options);
    }

    /// <summary>The run as it was when it started.</summary>
    public Run Run { get; }

    /// <summary>The run's id.</summary>
    public string RunId => Run.Id;

    /// <summary>Queues a metric point without waiting for the network; <paramref name="timestamp"/> defaults to now.</summary>
    public void LogMetric(string key, double value, long step = 0, DateTimeOffset? timestamp = null) =>
        _sender.Enqueue(new Metric(key, value, timestamp ?? DateTimeOffset.UtcNow, step));

    /// <summary>Logs parameters (write-once: a different value for a logged key fails), 100 per request.</summary>
    public async Task LogParamsAsync(IReadOnlyDictionary<string, string> parameters, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in parameters.Chunk(100))
        {
            await _runs.LogBatchAsync(RunId, parameters: chunk.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal), cancellationToken: cancellationToken);
        }
    }

    /// <summary>Logs one parameter.</summary>
    public Task LogParamAsync(string key, string value, CancellationToken cancellationToken = default) =>
        _runs.LogParamAsync(RunId, key, value, cancellationToken);

    /// <summary>Sets (or overwrites) a tag.</summary>
    public Task SetTagAsync(string key, string value, CancellationToken cancellationToken = default) =>
        _runs.SetTagAsync(RunId, key, value, cancellationToken);

    /// <summary>Waits until every metric logged so far is stored; throws <see cref="CairnApiException"/> if some could not be.</summary>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _sender.FlushAsync(cancellationToken);

    /// <summary>Marks the run to end as failed when the scope is disposed.</summary>
    public void Fail() => _endStatus = RunStatus.Failed;

    /// <summary>Sends the remaining metrics, then ends the run (Finished, or Failed after <see cref="Fail"/>).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        try
        {
            await _sender.FlushAsync(CancellationToken.None);
        }
        finally
        {
            await _sender.DisposeAsync();
            await _runs.EndAsync(RunId, _endStatus);
        }
    }
}
