using System.Threading.Channels;
using Cairn.Server.Data;
using Cairn.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Prometheus;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// The one writer of run data (metrics, params, tags). Requests queue their <see cref="RunWrite"/>s; the writer
/// drains whatever is waiting into one transaction (group commit), gives each write its own savepoint so a
/// rejected batch writes none of its rows, commits durably, then acknowledges every write in it.
/// </summary>
public sealed partial class RunDataWriter(IOptions<CairnOptions> options, SqlitePragmas pragmas, ILogger<RunDataWriter> logger) : BackgroundService
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

    private readonly Channel<RunWrite> _queue = Channel.CreateBounded<RunWrite>(
        new BoundedChannelOptions(1024) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    /// <summary>Queues <paramref name="write"/> and waits until it is committed; throws the write's validation error if it was rejected.</summary>
    public async Task WriteAsync(RunWrite write, CancellationToken cancellationToken)
    {
        await _queue.Writer.WriteAsync(write, cancellationToken);
        await write.Done.Task.WaitAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(DatabaseSettings.SqliteConnectionString(options.Value));
        await connection.OpenAsync(stoppingToken);
        await pragmas.ApplyAsync(connection, stoppingToken);
        await using (var tuning = connection.CreateCommand())
        {
            // Checkpoints run in WalCheckpointer, not inside this writer's commits; a larger cache keeps the
            // metric table's insertion points in memory.
            tuning.CommandText = "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864; PRAGMA cache_size = -65536;";
            await tuning.ExecuteNonQueryAsync(stoppingToken);
        }

        using var statements = new RunDataStatements(connection);
        var pending = new List<RunWrite>(MaxWritesPerCommit);

        while (await _queue.Reader.WaitToReadAsync(stoppingToken))
        {
            pending.Clear();
            var points = 0;
            while (pending.Count < MaxWritesPerCommit && points < MaxPointsPerCommit && _queue.Reader.TryRead(out var write))
            {
                pending.Add(write);
                points += write.Metrics.Count + write.Params.Count + write.Tags.Count;
            }

            using (CommitSeconds.NewTimer())
            {
                Commit(connection, statements, pending);
            }

            CommittedWrites.Inc(pending.Count);
            CommittedRows.Inc(points);
        }
    }

    private void Commit(SqliteConnection connection, RunDataStatements statements, List<RunWrite> writes)
    {
        var outcomes = new Exception?[writes.Count];
        try
        {
            using (var transaction = connection.BeginTransaction())
            {
                for (var i = 0; i < writes.Count; i++)
                {
                    outcomes[i] = statements.Apply(writes[i]);
                }

                transaction.Commit();
            }

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
            statements.ForgetKeys();
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
