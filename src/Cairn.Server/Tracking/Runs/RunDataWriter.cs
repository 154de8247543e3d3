using System.Threading.Channels;
using Cairn.Server.Hosting;
using Prometheus;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// The writer of run data (metrics, params, tags). Requests queue their <see cref="RunWrite"/>s; each lane of the
/// writer drains whatever is waiting for it into one transaction of its store (group commit), where each write has
/// its own savepoint so a rejected batch writes none of its rows, commits durably, then acknowledges every write in
/// it. A run always goes to the same lane, so its writes apply in the order they came; SQLite has one lane (one
/// writer at a time is all it allows), PostgreSQL several, so one group's round trips overlap another's.
/// </summary>
public sealed partial class RunDataWriter(RunDataStores stores, ILogger<RunDataWriter> logger) : BackgroundService
{
    private const int MaxWritesPerCommit = 256;
    private const int MaxPointsPerCommit = 50_000;

    private static readonly Histogram CommitSeconds = Prometheus.Metrics.CreateHistogram(
        "cairn_run_writer_commit_seconds", "Time the run-data writer spends applying and committing one group of writes.",
        new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.0005, 2, 12) });

    private static readonly Counter CommittedRows = Prometheus.Metrics.CreateCounter(
        "cairn_run_writer_rows_total", "Metrics, params and tags committed by the run-data writer.");

    private static readonly Counter CommittedWrites = Prometheus.Metrics.CreateCounter(
        "cairn_run_writer_writes_total", "Requests whose writes the run-data writer committed.");

    private readonly Channel<RunWrite>[] _queues = [.. stores.Lanes.Select(_ => Channel.CreateBounded<RunWrite>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait }))];

    /// <summary>Queues <paramref name="write"/> and waits until it is committed; throws the write's validation error if it was rejected.</summary>
    public async Task WriteAsync(RunWrite write, CancellationToken cancellationToken)
    {
        await _queues[(int)((uint)write.RunId % (uint)_queues.Length)].Writer.WriteAsync(write, cancellationToken);
        await write.Done.Task.WaitAsync(cancellationToken);
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(stores.Lanes.Select((store, lane) => Task.Run(() => DrainAsync(_queues[lane].Reader, store, stoppingToken), stoppingToken)));

    private async Task DrainAsync(ChannelReader<RunWrite> queue, IRunDataStore store, CancellationToken stoppingToken)
    {
        var pending = new List<RunWrite>(MaxWritesPerCommit);
        while (await queue.WaitToReadAsync(stoppingToken))
        {
            pending.Clear();
            var points = 0;
            while (pending.Count < MaxWritesPerCommit && points < MaxPointsPerCommit && queue.TryRead(out var write))
            {
                pending.Add(write);
                points += write.Metrics.Count + write.Params.Count + write.Tags.Count;
            }

            using (CommitSeconds.NewTimer())
            {
                await CommitAsync(store, pending, stoppingToken);
            }

            CommittedWrites.Inc(pending.Count);
            CommittedRows.Inc(points);
        }
    }

    private async Task CommitAsync(IRunDataStore store, List<RunWrite> writes, CancellationToken cancellationToken)
    {
        try
        {
            var outcomes = await store.CommitAsync(writes, cancellationToken);
            for (var i = 0; i < writes.Count; i++)
            {
                if (outcomes[i] is { } rejected)
                {
                    writes[i].Done.TrySetException(rejected);
                }
                else
                {
                    writes[i].Done.TrySetResult();
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The writer must outlive any one failed commit: the waiting requests get the error (500, which the
            // MLflow client retries), the log gets the cause, and the next commit starts clean.
            LogCommitFailed(logger, e, writes.Count);
            foreach (var write in writes)
            {
                write.Done.TrySetException(e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Committing {Count} run writes failed; none of them was acknowledged")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count);
}

/// <summary>The stores of the writer's lanes, one connection each.</summary>
public sealed class RunDataStores(IReadOnlyList<IRunDataStore> lanes) : IAsyncDisposable
{
    /// <summary>PostgreSQL's lanes: two keep both the server and the database busy on a small machine; more help with more cores.</summary>
    public static int PostgresLanes => Math.Max(2, Environment.ProcessorCount);

    public IReadOnlyList<IRunDataStore> Lanes { get; } = lanes;

    public async ValueTask DisposeAsync()
    {
        foreach (var lane in Lanes)
        {
            await lane.DisposeAsync();
        }
    }
}

/// <summary>Registers the run-data writer with the store <c>--database</c> chose.</summary>
public static class RunDataWriterSetup
{
    public static IServiceCollection AddRunDataWriter(this IServiceCollection services)
    {
        services.AddSingleton(provider => new RunDataStores(provider.GetRequiredService<DatabaseConnection>().Provider == DatabaseProvider.Postgres
            ? [.. Enumerable.Range(0, RunDataStores.PostgresLanes).Select(_ => ActivatorUtilities.CreateInstance<PostgresRunDataStore>(provider))]
            : [ActivatorUtilities.CreateInstance<SqliteRunDataStore>(provider)]));
        services.AddSingleton<RunDataWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<RunDataWriter>());
        return services;
    }
}
