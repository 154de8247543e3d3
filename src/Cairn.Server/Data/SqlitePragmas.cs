using System.Data.Common;
using System.Runtime.CompilerServices;
using Cairn.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Data;

/// <summary>
/// Per-connection SQLite settings: case-sensitive LIKE (MLflow's LIKE is case-sensitive; ILIKE is the
/// case-insensitive form), a Unicode-aware lower() for ILIKE, foreign keys, the sync level, and a busy timeout
/// so readers and the writer wait instead of failing. The pragmas are applied once per physical connection (pooled
/// connections keep them); the function on every open, since Microsoft.Data.Sqlite removes it when a connection closes.
/// </summary>
public sealed class SqlitePragmas(IOptions<CairnOptions> options) : DbConnectionInterceptor
{
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

    private readonly string _sql =
        $"PRAGMA case_sensitive_like = ON; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = {options.Value.SqliteSynchronous.ToString().ToUpperInvariant()};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) =>
        ConnectionOpenedAsync(connection, eventData).GetAwaiter().GetResult();

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        UnicodeLower((SqliteConnection)connection);
        return NeedsSetup((SqliteConnection)connection) ? ApplyAsync(connection, cancellationToken) : Task.CompletedTask;
    }

    /// <summary>Applies the settings to a connection opened outside EF (the run-data writer's, the maintenance one).</summary>
    public async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        UnicodeLower((SqliteConnection)connection);
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private bool NeedsSetup(SqliteConnection connection) =>
        connection.Handle is { } handle && _configured.TryAdd(handle, this);

    /// <summary>SQLite's own lower() folds ASCII only; ILIKE (lower(x) LIKE lower(pattern)) should ignore case in every script.</summary>
    private static void UnicodeLower(SqliteConnection connection) =>
        connection.CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);
}
