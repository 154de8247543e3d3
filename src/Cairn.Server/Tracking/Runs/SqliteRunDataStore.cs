using Cairn.Server.Data;
using Cairn.Server.Hosting;
using Microsoft.Data.Sqlite;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// SQLite's run-data store: a connection of its own with automatic checkpoints off (<see cref="SqliteMaintenance"/>
/// runs them off the commit path), and <see cref="RunDataStatements"/> prepared once on it.
/// </summary>
public sealed class SqliteRunDataStore(DatabaseConnection database, SqlitePragmas pragmas) : IRunDataStore
{
    private SqliteConnection? _connection;
    private RunDataStatements? _statements;

    public async Task<Exception?[]> CommitAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        if (_connection is null || _statements is null)
        {
            (_connection, _statements) = await OpenAsync(cancellationToken);
        }

        var outcomes = new Exception?[writes.Count];
        try
        {
            using var transaction = _connection.BeginTransaction();
            for (var i = 0; i < writes.Count; i++)
            {
                outcomes[i] = _statements.Apply(writes[i]);
            }

            transaction.Commit();
            return outcomes;
        }
        catch
        {
            // Keys inserted by the failed transaction no longer exist.
            _statements.ForgetKeys();
            throw;
        }
    }

    private async Task<(SqliteConnection, RunDataStatements)> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await pragmas.ApplyAsync(connection, cancellationToken);
        await using (var tuning = connection.CreateCommand())
        {
            // A larger cache keeps the metric table's insertion points in memory.
            tuning.CommandText = "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864; PRAGMA cache_size = -65536;";
            await tuning.ExecuteNonQueryAsync(cancellationToken);
        }

        return (connection, new RunDataStatements(connection));
    }

    public async ValueTask DisposeAsync()
    {
        _statements?.Dispose();
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
