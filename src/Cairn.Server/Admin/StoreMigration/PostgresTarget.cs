using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// The PostgreSQL database to move into: created and migrated the way the server does at start, and taken only
/// when it holds nothing but what a fresh migration puts there. Anything else is refused before a byte is written.
/// </summary>
public static class PostgresTarget
{
    public static PostgresCairnDb Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<PostgresCairnDb>();
        options.UseCairnPostgres(connectionString);
        return new(options.Options);
    }

    /// <summary>Where the target is, for messages: host, port and database, never the password.</summary>
    public static string Describe(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"{builder.Host}:{builder.Port}/{builder.Database}";
    }

    /// <summary>Refuses a database with data in it, then creates (if need be) and migrates it.</summary>
    public static async Task PrepareAsync(PostgresCairnDb db, string connectionString, CancellationToken cancellationToken)
    {
        if (await db.GetService<IRelationalDatabaseCreator>().ExistsAsync(cancellationToken))
        {
            await StoreHistory.AppliedAsync(db, "--to", cancellationToken);
            await using var connection = await ConnectAsync(connectionString, cancellationToken);
            await RefuseDataAsync(connection, StoreSchema.NotSeeded(db), connectionString, existingOnly: true, cancellationToken);
        }

        await db.Database.MigrateAsync(cancellationToken);
    }

    public static async Task<NpgsqlConnection> ConnectAsync(string connectionString, CancellationToken cancellationToken)
    {
        // No command timeout: a COPY of a large table and its check take as long as they take.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { CommandTimeout = 0 }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <summary>
    /// Inside the copy's transaction: locks every table against other writers, checks again that none holds data,
    /// and empties them, seed rows included (the source has its own), so the copy keeps the source's rows as they are.
    /// </summary>
    public static async Task ClaimAsync(
        NpgsqlConnection connection, IReadOnlyList<StoreTable> tables, IReadOnlyDictionary<string, string> notSeeded, string connectionString, CancellationToken cancellationToken)
    {
        var all = string.Join(", ", tables.Select(t => t.Quoted));
        await ExecuteAsync(connection, $"LOCK TABLE {all} IN ACCESS EXCLUSIVE MODE", cancellationToken);
        await RefuseDataAsync(connection, tables.ToDictionary(t => t.Name, t => notSeeded.GetValueOrDefault(t.Name) ?? "TRUE", StringComparer.Ordinal), connectionString, existingOnly: false, cancellationToken);
        await ExecuteAsync(connection, $"TRUNCATE {all}", cancellationToken);
    }

    /// <summary>Moves every identity column's sequence past the largest id copied, so the next row the server inserts gets a fresh one.</summary>
    public static async Task ResetSequencesAsync(NpgsqlConnection connection, IReadOnlyList<StoreTable> tables, CancellationToken cancellationToken)
    {
        var names = tables.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        var generated = new List<(string Table, string Column)>();
        await using (var find = new NpgsqlCommand(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND (is_identity = 'YES' OR column_default LIKE 'nextval(%')",
            connection))
        await using (var reader = await find.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                generated.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (table, column) in generated.Where(g => names.Contains(g.Table)))
        {
            await ScalarAsync(
                connection,
                $"SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({StoreTable.Quote(column)}), 0) + 1, false) FROM {StoreTable.Quote(table)}",
                cancellationToken,
                StoreTable.Quote(table),
                column);
        }
    }

    private static async Task RefuseDataAsync(
        NpgsqlConnection connection, IReadOnlyDictionary<string, string> notSeeded, string connectionString, bool existingOnly, CancellationToken cancellationToken)
    {
        var held = new List<string>();
        foreach (var (table, condition) in notSeeded.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (existingOnly && await ScalarAsync(connection, "SELECT to_regclass($1) IS NOT NULL", cancellationToken, StoreTable.Quote(table)) is false)
            {
                continue;
            }

            if (await ScalarAsync(connection, $"SELECT EXISTS (SELECT 1 FROM {StoreTable.Quote(table)} WHERE {condition})", cancellationToken) is true)
            {
                held.Add(table);
            }
        }

        if (held.Count > 0)
        {
            throw new StoreMigrationException(
                $"--to: the PostgreSQL database {Describe(connectionString)} already holds Cairn data (in {string.Join(", ", held)}); migrate-store copies only into an empty database, and wrote nothing.");
        }
    }

    private static async Task<object?> ScalarAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DBNull ? null : result;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
