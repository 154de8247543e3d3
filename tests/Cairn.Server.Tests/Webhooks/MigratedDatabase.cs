using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>A fresh, migrated database (SQLite or PostgreSQL, as the run says) and no server: for the outbox and lease steps called one at a time.</summary>
public abstract class MigratedDatabase : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-tests", "db-" + Guid.NewGuid().ToString("N"));

    protected CairnDb Db { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_data);
        Db = RegistryEvents.Open(_data);
        await Db.Database.MigrateAsync();
        await SeedAsync();
    }

    protected virtual Task SeedAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await Db.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        await TestDatabase.DropAsync(_data);
        Directory.Delete(_data, recursive: true);
    }
}
