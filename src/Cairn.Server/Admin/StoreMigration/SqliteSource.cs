using Cairn.Server.Data;
using Cairn.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// The SQLite install to move. It is brought to this Cairn's schema first, exactly as the server would at start
/// (the copy maps the current model only); a file that is not a Cairn database, or one a newer Cairn migrated, is refused untouched.
/// </summary>
public static class SqliteSource
{
    public static SqliteCairnDb Open(string connectionString)
    {
        var options = new DbContextOptionsBuilder<SqliteCairnDb>();
        options.UseCairnSqlite(connectionString, new SqlitePragmas(Options.Create(new CairnOptions())));
        return new(options.Options);
    }

    /// <summary>Applies the migrations the file lacks and returns their names.</summary>
    public static async Task<IReadOnlyList<string>> MigrateAsync(SqliteCairnDb db, CancellationToken cancellationToken)
    {
        var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
        var applied = await StoreHistory.AppliedAsync(db, "--from", cancellationToken);
        if (applied.Count == 0)
        {
            throw new StoreMigrationException($"--from: '{file}' is not a Cairn database (it has no Cairn migration history).");
        }

        var pending = db.Database.GetMigrations().Except(applied, StringComparer.Ordinal).ToList();
        if (pending.Count > 0)
        {
            await db.Database.MigrateAsync(cancellationToken);
        }

        return pending;
    }
}
