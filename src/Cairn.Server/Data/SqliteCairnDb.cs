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

    /// <summary>From SQLite's <c>dbstat</c> table: the pages of the metrics table (clustered on its key) and any index of it.</summary>
    public override async Task<long> MetricPointBytesAsync(CancellationToken cancellationToken) =>
        await Database.SqlQuery<long>($"SELECT coalesce(sum(pgsize), 0) AS value FROM dbstat WHERE name IN (SELECT name FROM sqlite_master WHERE tbl_name = 'metrics')")
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
