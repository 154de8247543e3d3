using Cairn.Server.Hosting;
using Microsoft.Data.Sqlite;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>Reads <c>--from</c> (a SQLite file, a data folder holding <c>cairn.db</c>, or <c>Data Source=FILE</c>) and <c>--to</c> (PostgreSQL, as <c>--database</c> takes it).</summary>
public static class StoreLocations
{
    /// <summary>A connection string that opens the existing SQLite file and never creates one.</summary>
    public static string Sqlite(string from)
    {
        var path = from.Trim();
        if (path.Contains('=', StringComparison.Ordinal))
        {
            path = new SqliteConnectionStringBuilder(path).DataSource;
        }

        if (path.Length == 0)
        {
            throw new StoreMigrationException("--from is empty: give the SQLite file of the install, such as ./cairn-data/cairn.db.");
        }

        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            full = Path.Combine(full, "cairn.db");
        }

        if (!File.Exists(full))
        {
            throw new StoreMigrationException($"--from: there is no SQLite database at '{full}'.");
        }

        // No pooling: the file is let go as soon as the migration ends, so the caller may move or delete it.
        return new SqliteConnectionStringBuilder { DataSource = full, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 30 }.ToString();
    }

    /// <summary>A Npgsql connection string from a connection string or a <c>postgres://</c> URL.</summary>
    public static string Postgres(string to)
    {
        var connection = DatabaseSettings.Parse(new CairnOptions { Database = to }, out var error);
        if (string.IsNullOrWhiteSpace(to) || connection is null)
        {
            throw new StoreMigrationException($"--to '{DatabaseSettings.Redact(to)}' is not a PostgreSQL database: {error ?? "it is empty"}.");
        }

        return connection.Provider == DatabaseProvider.Postgres
            ? connection.ConnectionString
            : throw new StoreMigrationException($"--to '{DatabaseSettings.Redact(to)}' names a SQLite database; give a PostgreSQL one ('Host=HOST;Database=NAME;Username=USER' or postgres://USER:PASSWORD@HOST:PORT/NAME).");
    }
}
