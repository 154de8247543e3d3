using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cairn.Server.Hosting;

/// <summary>The two stores Cairn runs on: embedded SQLite (the default) and PostgreSQL (for replicas).</summary>
public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>The store <c>--database</c> chose, with the connection string its driver takes.</summary>
public sealed record DatabaseConnection(DatabaseProvider Provider, string ConnectionString);

/// <summary>
/// Turns the <c>--database</c> setting into a store and a connection string: empty for SQLite under the data
/// folder, a SQLite connection string (<c>Data Source=FILE</c>), a Npgsql one (<c>Host=…;Database=…</c>), or a
/// <c>postgres://</c> / <c>postgresql://</c> URL as libpq and most hosting providers write it.
/// </summary>
public static partial class DatabaseSettings
{
    /// <summary>What the setting means, or null with <paramref name="error"/> saying why it means nothing.</summary>
    public static DatabaseConnection? Parse(CairnOptions options, out string? error)
    {
        error = null;
        var database = options.Database?.Trim();
        if (string.IsNullOrEmpty(database))
        {
            return new(DatabaseProvider.Sqlite, Sqlite(new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataPath, "cairn.db") }));
        }

        if (PostgresUrl.IsUrl(database))
        {
            return PostgresUrl.TryParse(database, out var url, out error) ? new(DatabaseProvider.Postgres, url!) : null;
        }

        if (TrySqlite(database) is { } sqlite)
        {
            return new(DatabaseProvider.Sqlite, sqlite);
        }

        if (TryPostgres(database) is { } postgres)
        {
            return new(DatabaseProvider.Postgres, postgres);
        }

        error = "it is neither a SQLite connection string ('Data Source=FILE') nor a PostgreSQL one ('Host=HOST;Database=NAME;Username=USER' or postgres://USER:PASSWORD@HOST:PORT/NAME)";
        return null;
    }

    /// <summary>The connection the options name; they were validated at start, so this cannot fail afterwards.</summary>
    public static DatabaseConnection Resolve(CairnOptions options) =>
        Parse(options, out var error) ?? throw new InvalidOperationException($"The database setting is invalid: {error}.");

    /// <summary>The setting as it may be printed: passwords, in either form, replaced by <c>***</c>.</summary>
    public static string Redact(string database) =>
        UrlPassword().Replace(KeywordPassword().Replace(database, "$1***"), "$1***$2");

    private static string? TrySqlite(string database)
    {
        try
        {
            var builder = new SqliteConnectionStringBuilder(database);
            return string.IsNullOrEmpty(builder.DataSource) ? null : Sqlite(builder);
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string? TryPostgres(string database)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(database);
            return string.IsNullOrEmpty(builder.Host) ? null : builder.ConnectionString;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
        {
            return null;
        }
    }

    private static string Sqlite(SqliteConnectionStringBuilder builder)
    {
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }

    [GeneratedRegex(@"(?i)\b((?:password|pwd)\s*=\s*)(""[^""]*""|'[^']*'|[^;]*)")]
    private static partial Regex KeywordPassword();

    [GeneratedRegex(@"(?i)^(postgres(?:ql)?://[^:/@?#]*:)[^@/?#]*(@)")]
    private static partial Regex UrlPassword();
}
