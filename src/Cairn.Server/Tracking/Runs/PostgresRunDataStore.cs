using System.Data;
using Cairn.Server.Hosting;
using Npgsql;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// PostgreSQL's run-data store, one per lane of <see cref="RunDataWriter"/>: one connection of its own (auto-prepared
/// statements live per connection), the group's new metric keys committed first in a statement of their own, then one
/// transaction per group, a savepoint per write. A failed group drops the connection, so a database that restarted
/// or a connection that broke is replaced by a fresh one at the next group. The group first locks its runs, in
/// id order so two replicas cannot deadlock: deciding which points are new reads what is stored, and another
/// replica writing the same run must not slip in between.
/// </summary>
public sealed class PostgresRunDataStore : IRunDataStore
{
    /// <summary>The first half of the two-key advisory locks on runs' points ("CAIR"); the run's id is the second.</summary>
    private const int RunPointsLock = 0x43414952;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresRunDataStatements _statements = new();
    private NpgsqlConnection? _connection;

    public PostgresRunDataStore(DatabaseConnection database)
    {
        var builder = new NpgsqlDataSourceBuilder(database.ConnectionString);
        // The writer sends the same few statements all day: prepared once per connection, parsed and planned once.
        builder.ConnectionStringBuilder.MaxAutoPrepare = 32;
        builder.ConnectionStringBuilder.AutoPrepareMinUsages = 2;
        builder.ConnectionStringBuilder.ApplicationName ??= "cairn run-data writer";
        _dataSource = builder.Build();
    }

    public async Task<Exception?[]> CommitAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        if (_connection is not { FullState: ConnectionState.Open })
        {
            await DropConnectionAsync();
            _connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        }

        var outcomes = new Exception?[writes.Count];
        try
        {
            await _statements.AddKeysAsync(_connection, writes, cancellationToken);
            await using var transaction = await _connection.BeginTransactionAsync(cancellationToken);
            await LockRunsAsync(_connection, writes, cancellationToken);
            for (var i = 0; i < writes.Count; i++)
            {
                outcomes[i] = await _statements.ApplyAsync(_connection, writes[i], cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
            return outcomes;
        }
        catch
        {
            await DropConnectionAsync();
            throw;
        }
    }

    private static async Task LockRunsAsync(NpgsqlConnection connection, IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        foreach (var runId in writes.Where(w => w.Metrics.Count > 0).Select(w => w.RunId).Distinct().Order())
        {
            batch.BatchCommands.Add(PostgresRunDataStatements.Command("SELECT pg_advisory_xact_lock($1, $2)", RunPointsLock, runId));
        }

        if (batch.BatchCommands.Count > 0)
        {
            await batch.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private async Task DropConnectionAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DropConnectionAsync();
        await _dataSource.DisposeAsync();
    }
}
