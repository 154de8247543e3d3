using Cairn.Server.Tracking.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Server.Data;

/// <summary>The embedded store: the model on SQLite, with the migrations in <c>Migrations/Sqlite</c>.</summary>
public sealed class SqliteCairnDb(DbContextOptions<SqliteCairnDb> options) : CairnDb(options)
{
    /// <summary>Microsoft.Data.Sqlite begins IMMEDIATE transactions: the write lock is taken at once, for the whole database.</summary>
    public override Task<IDbContextTransaction> BeginSerializedAsync(string scope, CancellationToken cancellationToken) =>
        Database.BeginTransactionAsync(cancellationToken);

    /// <summary>A deferred transaction: it reads without taking SQLite's write lock (EF's own BeginTransaction would take it).</summary>
    public override async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken)
    {
        await Database.OpenConnectionAsync(cancellationToken);
        var transaction = ((SqliteConnection)Database.GetDbConnection()).BeginTransaction(deferred: true);
        await Database.UseTransactionAsync(transaction, cancellationToken);
        return new Snapshot(this, transaction);
    }

    public override IMetricPointReader MetricPoints => SqliteMetricPointReader.Instance;

    /// <summary>Unknown: the bundled SQLite is built without the <c>dbstat</c> table that measures one table's pages.</summary>
    public override Task<long?> MetricPointBytesAsync(CancellationToken cancellationToken) => Task.FromResult<long?>(null);

    /// <summary>The pages in use (the file without its free pages; the WAL is not counted).</summary>
    public override async Task<long> DatabaseBytesAsync(CancellationToken cancellationToken) =>
        await Database.SqlQuery<long>($"SELECT (p.page_count - f.freelist_count) * s.page_size AS \"Value\" FROM pragma_page_count() AS p, pragma_freelist_count() AS f, pragma_page_size() AS s")
            .SingleAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // lower() is replaced on every connection by a Unicode-aware one (SqlitePragmas).
        modelBuilder.HasDbFunction(typeof(CairnDb).GetMethod(nameof(FoldCase))!)
            .HasTranslation(arguments => new SqlFunctionExpression("lower", arguments, nullable: true, argumentsPropagateNullability: [true], typeof(string), null));
    }

    private sealed class Snapshot(SqliteCairnDb db, SqliteTransaction transaction) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await db.Database.UseTransactionAsync(null, CancellationToken.None);
            await transaction.DisposeAsync();
            await db.Database.CloseConnectionAsync();
        }
    }
}
