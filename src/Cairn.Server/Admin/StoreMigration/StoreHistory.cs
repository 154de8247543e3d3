using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>Reads a store's migration history, refusing one that a newer Cairn has migrated past this one's schema.</summary>
public static class StoreHistory
{
    /// <summary>The migrations applied to <paramref name="db"/>; throws when one is unknown to this build.</summary>
    public static async Task<IReadOnlyList<string>> AppliedAsync(DbContext db, string option, CancellationToken cancellationToken)
    {
        var applied = (await db.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
        var unknown = applied.Except(db.Database.GetMigrations(), StringComparer.Ordinal).ToList();
        return unknown.Count == 0
            ? applied
            : throw new StoreMigrationException(
                $"{option}: the database has migration {unknown[0]}, which this Cairn does not know: a newer Cairn has used it. Run the migration with that version.");
    }
}
