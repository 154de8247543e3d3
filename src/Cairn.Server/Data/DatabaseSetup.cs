using Cairn.Server.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cairn.Server.Data;

/// <summary>
/// Registers the database <c>--database</c> chose and brings it up to date at start. Both stores' contexts are
/// registered, and <see cref="CairnDb"/> resolves to the chosen one, so the choice is made once, from the validated
/// options, and nothing else needs to know it.
/// </summary>
public static partial class DatabaseSetup
{
    public static IServiceCollection AddCairnDatabase(this IServiceCollection services)
    {
        services.AddSingleton(provider => DatabaseSettings.Resolve(provider.GetRequiredService<IOptions<CairnOptions>>().Value));
        services.AddSingleton<SqlitePragmas>();

        // A connection string, not a data source: EF keys its internal services (and the built model) on the options,
        // and a data source instance per host would build the model again for every host (every test server).
        // Id lists (a page of runs) travel as one parameter (JSON on SQLite, an array on PostgreSQL): binding 100
        // separate parameters cost ~4 ms a query on SQLite, and every list length would be a plan of its own.
        services.AddDbContext<SqliteCairnDb>((provider, options) => options
            .UseCairnSqlite(provider.GetRequiredService<DatabaseConnection>().ConnectionString, provider.GetRequiredService<SqlitePragmas>()));
        services.AddDbContext<PostgresCairnDb>((provider, options) => options
            .UseCairnPostgres(provider.GetRequiredService<DatabaseConnection>().ConnectionString));
        services.AddScoped<CairnDb>(provider => provider.GetRequiredService<DatabaseConnection>().Provider == DatabaseProvider.Postgres
            ? provider.GetRequiredService<PostgresCairnDb>()
            : provider.GetRequiredService<SqliteCairnDb>());

        // Keys in the database: any replica decrypts what another one protected (the UI's circuits, antiforgery).
        services.AddDataProtection().SetApplicationName("Cairn").PersistKeysToDbContext<CairnDb>();
        return services;
    }

    /// <summary>The SQLite store as the server configures it; also for tools that open a store outside the server (migrate-store).</summary>
    public static DbContextOptionsBuilder UseCairnSqlite(this DbContextOptionsBuilder options, string connectionString, SqlitePragmas pragmas) => options
        .UseSqlite(connectionString, sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
        .UseSnakeCaseNamingConvention()
        .AddInterceptors(pragmas);

    /// <summary>The PostgreSQL store as the server configures it.</summary>
    public static DbContextOptionsBuilder UseCairnPostgres(this DbContextOptionsBuilder options, string connectionString) => options
        .UseNpgsql(connectionString, npgsql => npgsql.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
        .UseSnakeCaseNamingConvention();

    public static async Task MigrateCairnDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var options = app.Services.GetRequiredService<IOptions<CairnOptions>>().Value;
        Directory.CreateDirectory(options.DataPath);
        Directory.CreateDirectory(options.ArtifactsPath);
        var database = app.Services.GetRequiredService<DatabaseConnection>();
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await UseWriteAheadLogAsync(database.ConnectionString, cancellationToken);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        try
        {
            await db.Database.MigrateAsync(cancellationToken);
        }
        catch (NpgsqlException e)
        {
            var where = new NpgsqlConnectionStringBuilder(database.ConnectionString);
            LogUnreachable(app.Logger, e, where.Host, where.Port, where.Database);
            throw;
        }
    }

    private static async Task UseWriteAheadLogAsync(string connectionString, CancellationToken cancellationToken)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL;";
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not create or migrate the PostgreSQL database {Database} on {Host}:{Port} (--database, CAIRN_DATABASE)")]
    private static partial void LogUnreachable(ILogger logger, Exception exception, string? host, int port, string? database);
}
