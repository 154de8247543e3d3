using Microsoft.Data.Sqlite;

namespace Cairn.Server.Hosting;

/// <summary>Turns the <c>--database</c> setting into a connection string for the embedded SQLite store.</summary>
public static class DatabaseSettings
{
    public static bool IsSqlite(string database)
    {
        try
        {
            var builder = new SqliteConnectionStringBuilder(database);
            return !string.IsNullOrEmpty(builder.DataSource);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    public static string Redact(string database) =>
        database.Contains("password", StringComparison.OrdinalIgnoreCase) ? "(a connection string with a password)" : database;

    public static string SqliteConnectionString(CairnOptions options)
    {
        var builder = string.IsNullOrEmpty(options.Database)
            ? new SqliteConnectionStringBuilder { DataSource = Path.Combine(options.DataPath, "cairn.db") }
            : new SqliteConnectionStringBuilder(options.Database);
        builder.Pooling = true;
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}
