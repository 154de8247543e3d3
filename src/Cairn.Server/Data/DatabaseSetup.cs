using Cairn.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Data;

/// <summary>Registers the database and brings it up to date at start: data folder, WAL mode, migrations.</summary>
public static class DatabaseSetup
{
    public static IServiceCollection AddCairnDatabase(this IServiceCollection services)
    {
        services.AddSingleton<SqlitePragmas>();
        services.AddDbContext<CairnDb>((provider, options) =>
        {
            var cairn = provider.GetRequiredService<IOptions<CairnOptions>>().Value;
            // Id lists (a page of runs) travel as one JSON parameter: binding 100 separate parameters cost ~4 ms a query.
            options.UseSqlite(DatabaseSettings.SqliteConnectionString(cairn), sqlite => sqlite.UseParameterizedCollectionMode(ParameterTranslationMode.Parameter))
                .UseSnakeCaseNamingConvention()
                .AddInterceptors(provider.GetRequiredService<SqlitePragmas>());
        });
        return services;
    }

    public static async Task MigrateCairnDatabaseAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        var options = app.Services.GetRequiredService<IOptions<CairnOptions>>().Value;
        Directory.CreateDirectory(options.DataPath);
        Directory.CreateDirectory(options.ArtifactsPath);
        var connectionString = DatabaseSettings.SqliteConnectionString(options);
        if (Path.GetDirectoryName(Path.GetFullPath(new SqliteConnectionStringBuilder(connectionString).DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        await using (var connection = new SqliteConnection(connectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode = WAL;";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        await db.Database.MigrateAsync(cancellationToken);
    }
}
