using System.Data.Common;
using Cairn.Server.Hosting;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Data;

/// <summary>
/// Per-connection SQLite settings: case-sensitive LIKE (MLflow's LIKE is case-sensitive; ILIKE is the
/// case-insensitive form), foreign keys, and a busy timeout so readers and the writer wait instead of failing.
/// </summary>
public sealed class SqlitePragmas(IOptions<CairnOptions> options) : DbConnectionInterceptor
{
    /// <summary>SQLite's own lower() folds ASCII only; ILIKE (lower(x) LIKE lower(pattern)) should ignore case in every script.</summary>
    private static void UnicodeLower(DbConnection connection) =>
        ((Microsoft.Data.Sqlite.SqliteConnection)connection).CreateFunction("lower", (string? text) => text?.ToLowerInvariant(), isDeterministic: true);

    private readonly string _sql =
        $"PRAGMA case_sensitive_like = ON; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 30000; PRAGMA synchronous = {options.Value.SqliteSynchronous.ToString().ToUpperInvariant()};";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        UnicodeLower(connection);
        using var command = connection.CreateCommand();
        command.CommandText = _sql;
        command.ExecuteNonQuery();
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
        => ApplyAsync(connection, cancellationToken);

    public async Task ApplyAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        UnicodeLower(connection);
        await using var command = connection.CreateCommand();
        command.CommandText = _sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
