using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// Which store the server tests run on. By default SQLite in each test's data folder. When <c>CAIRN_TEST_POSTGRES</c>
/// holds a connection string of a PostgreSQL user that may create databases (test.sh starts a throwaway cluster and
/// sets it), every test server gets a database of its own instead, named after its data folder so a restarted server
/// finds its data again, and created on first use as a copy of a template database migrated once per test run (a
/// copy takes a fraction of what migrating each one took). When PostgreSQL cannot be reached the tests fail; they
/// never fall back to SQLite.
/// </summary>
public static class TestDatabase
{
    public const string Variable = "CAIRN_TEST_POSTGRES";

    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> Databases = new(StringComparer.Ordinal);
    private static readonly Lazy<NpgsqlDataSource> Admin = new(CreateAdmin);
    private static readonly Lazy<Task<string>> Template = new(CreateTemplateAsync);

    // DROP DATABASE waits for a checkpoint (a few hundred ms with fsync on): tests hand their databases to two
    // droppers in the background instead of waiting, and concurrent drops share one checkpoint.
    private static readonly Channel<string> Dropping = Channel.CreateUnbounded<string>();
    private static readonly Lazy<Task> Droppers = new(() => Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(DropQueuedAsync))));

    public static string? PostgresAdmin { get; } = Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value ? value : null;

    public static bool IsPostgres => PostgresAdmin is not null;

    /// <summary>The store's name, for messages: "SQLite" or "PostgreSQL".</summary>
    public static string Store => IsPostgres ? "PostgreSQL" : "SQLite";

    static TestDatabase()
    {
        // Databases of servers that ran as their own processes outlive each test (a restart must find them): drop
        // what is left when the test run ends. test.sh throws its whole cluster away anyway.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => DropAllAsync().GetAwaiter().GetResult();
    }

    /// <summary>The connection string of the database that belongs to <paramref name="dataPath"/>, created if it does not exist yet.</summary>
    public static Task<string> ForAsync(string dataPath) =>
        Databases.GetOrAdd(Path.GetFullPath(dataPath), key => new Lazy<Task<string>>(() => CreateAsync(NameOf(key)))).Value;

    /// <summary>The same, for constructors: waits off xunit's synchronisation context, so it cannot deadlock on it.</summary>
    public static string For(string dataPath) => Task.Run(() => ForAsync(dataPath)).GetAwaiter().GetResult();

    /// <summary>
    /// Closes this process's idle connections to the database of <paramref name="dataPath"/>, if one was made, and
    /// queues the database to be dropped (closing whatever else is still connected). The pool is cleared here rather
    /// than left to the drop: drops queue behind checkpoints, and a finished server's idle connections (Npgsql keeps
    /// them for minutes) would count against the cluster's max_connections until its turn came.
    /// </summary>
    public static Task DropAsync(string dataPath)
    {
        if (Databases.TryRemove(Path.GetFullPath(dataPath), out var created) && created.IsValueCreated)
        {
            if (created.Value.IsCompletedSuccessfully)
            {
                using var connection = new NpgsqlConnection(created.Value.Result);
                NpgsqlConnection.ClearPool(connection);
            }

            _ = Droppers.Value;
            Dropping.Writer.TryWrite(NameOf(Path.GetFullPath(dataPath)));
        }

        return Task.CompletedTask;
    }

    private static async Task DropQueuedAsync()
    {
        await foreach (var name in Dropping.Reader.ReadAllAsync())
        {
            try
            {
                await DropDatabaseAsync(name);
            }
            catch (NpgsqlException)
            {
                // Left behind: the next run's cluster is a new one (test.sh), or a developer's server keeps a stray database.
            }
        }
    }

    private static async Task<string> CreateAsync(string name)
    {
        try
        {
            await using (var exists = Admin.Value.CreateCommand("SELECT 1 FROM pg_database WHERE datname = $1"))
            {
                exists.Parameters.Add(new NpgsqlParameter { Value = name });
                if (await exists.ExecuteScalarAsync() is null)
                {
                    var template = await Template.Value;
                    await using var create = Admin.Value.CreateCommand($"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"");
                    await create.ExecuteNonQueryAsync();
                }
            }
        }
        catch (NpgsqlException e)
        {
            throw new InvalidOperationException($"{Variable} is set, but PostgreSQL could not create a test database there: {e.Message}", e);
        }

        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, Pooling = true }.ConnectionString;
    }

    /// <summary>A database with the current schema, one per test process, that every test database is copied from.</summary>
    private static async Task<string> CreateTemplateAsync()
    {
        var name = $"cairn_template_{Environment.ProcessId}";
        await DropDatabaseAsync(name);
        await using (var create = Admin.Value.CreateCommand($"CREATE DATABASE \"{name}\""))
        {
            await create.ExecuteNonQueryAsync();
        }

        // No pooling: a copy needs the template to have no open connection left.
        var connectionString = new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name, Pooling = false }.ConnectionString;
        var options = new DbContextOptionsBuilder<PostgresCairnDb>().UseNpgsql(connectionString).UseSnakeCaseNamingConvention().Options;
        await using (var db = new PostgresCairnDb(options))
        {
            await db.Database.MigrateAsync();
        }

        return name;
    }

    private static async Task DropDatabaseAsync(string name)
    {
        await using var drop = Admin.Value.CreateCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
        await drop.ExecuteNonQueryAsync();
    }

    private static async Task DropAllAsync()
    {
        if (!IsPostgres)
        {
            return;
        }

        foreach (var key in Databases.Keys)
        {
            Dropping.Writer.TryWrite(NameOf(key));
        }

        if (Template.IsValueCreated)
        {
            Dropping.Writer.TryWrite(await Template.Value);
        }

        Dropping.Writer.TryComplete();
        if (Droppers.IsValueCreated || !Databases.IsEmpty)
        {
            await Droppers.Value.WaitAsync(TimeSpan.FromMinutes(2));
        }
    }

    private static string NameOf(string dataPath) =>
        "cairn_t_" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataPath)))[..24];

    private static NpgsqlDataSource CreateAdmin() =>
        NpgsqlDataSource.Create(PostgresAdmin ?? throw new InvalidOperationException($"{Variable} is not set: the tests run on SQLite."));
}
