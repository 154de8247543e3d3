using Cairn.Server.Data;
using Cairn.Server.Registry;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Writes registry audit rows straight into the database, as a registry change does in its transaction.</summary>
public static class RegistryEvents
{
    public static async Task<long> InsertAsync(IServiceProvider services, string action, string model = "churn", int? version = null, string? alias = null, string? before = null, string? after = null)
    {
        using var scope = services.CreateScope();
        return await InsertAsync(scope.ServiceProvider.GetRequiredService<CairnDb>(), action, model, version, alias, before, after);
    }

    public static async Task<long> InsertAsync(CairnDb db, string action, string model = "churn", int? version = null, string? alias = null, string? before = null, string? after = null)
    {
        var row = new RegistryEvent
        {
            Time = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            Actor = "trainer-1",
            Action = action,
            ModelId = 1,
            ModelName = model,
            Version = version,
            Alias = alias,
            Before = before,
            After = after,
        };
        db.RegistryEvents.Add(row);
        await db.SaveChangesAsync();
        return row.Id;
    }

    /// <summary>The database of a server running as its own process (or not running), opened beside it.</summary>
    public static CairnDb Open(string dataPath) => TestDatabase.IsPostgres
        ? new PostgresCairnDb(new DbContextOptionsBuilder<PostgresCairnDb>().UseNpgsql(TestDatabase.For(dataPath)).UseSnakeCaseNamingConvention().Options)
        : new SqliteCairnDb(new DbContextOptionsBuilder<SqliteCairnDb>()
            .UseSqlite($"Data Source={Path.Combine(dataPath, "cairn.db")}")
            .UseSnakeCaseNamingConvention()
            .Options);
}
