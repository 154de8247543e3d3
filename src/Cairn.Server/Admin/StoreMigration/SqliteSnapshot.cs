using Microsoft.Data.Sqlite;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// A read transaction on the source: the copy and the check read the same state of the file, even if something
/// (a server that was not stopped) writes to it meanwhile. The check then reports that it changed after the copy, not before.
/// </summary>
public sealed class SqliteSnapshot : IAsyncDisposable
{
    private readonly SqliteConnection _connection;
    private readonly SqliteTransaction _transaction;

    private SqliteSnapshot(SqliteConnection connection, SqliteTransaction transaction)
    {
        _connection = connection;
        _transaction = transaction;
    }

    public static async Task<SqliteSnapshot> OpenAsync(string connectionString, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return new SqliteSnapshot(connection, connection.BeginTransaction(deferred: true));
    }

    public SqliteCommand Command(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    public async Task<long> CountAsync(StoreTable table, CancellationToken cancellationToken)
    {
        await using var count = Command($"SELECT COUNT(*) FROM {StoreTable.Quote(table.SourceName)}");
        return Convert.ToInt64(await count.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
