using System.Data;
using Cairn.Server.Tracking.Metrics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;

namespace Cairn.Server.Data;

/// <summary>
/// The scale-out store: the model on PostgreSQL, with the migrations in <c>Migrations/Postgres</c>. Text columns
/// use the "C" collation, so ordering and equality are by code point as on SQLite (and MLflow's tests), whatever
/// locale the database was created with.
/// </summary>
public sealed class PostgresCairnDb(DbContextOptions<PostgresCairnDb> options) : CairnDb(options)
{
    /// <summary>The ICU root collation, for lower() that folds every script (the "C" collation folds ASCII only).</summary>
    public const string FoldCollation = "und-x-icu";

    public override async Task<IDbContextTransaction> BeginSerializedAsync(string scope, CancellationToken cancellationToken)
    {
        var transaction = await Database.BeginTransactionAsync(cancellationToken);
        try
        {
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock(hashtextextended({scope}, 0))", cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    /// <summary>REPEATABLE READ: one snapshot for the whole transaction; on PostgreSQL readers never block writers.</summary>
    public override async Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken) =>
        await Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);

    public override IMetricPointReader MetricPoints => PostgresMetricPointReader.Instance;

    /// <summary>The segments' table with its TOAST table and primary key.</summary>
    public override async Task<long?> MetricPointBytesAsync(CancellationToken cancellationToken) =>
        await Database.SqlQuery<long>($"SELECT pg_total_relation_size('metric_segments') AS \"Value\"").SingleAsync(cancellationToken);

    public override async Task<long> DatabaseBytesAsync(CancellationToken cancellationToken) =>
        await Database.SqlQuery<long>($"SELECT pg_database_size(current_database()) AS \"Value\"").SingleAsync(cancellationToken);

    public override Task DeleteMetricPointsAsync(int runId, CancellationToken cancellationToken) =>
        Set<MetricSegment>().Where(s => s.RunId == runId).ExecuteDeleteAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(e => e.GetProperties()).Where(p => p.ClrType == typeof(string)))
        {
            property.SetCollation("C");
        }

        // Points are kept in segments rather than a row each (see MetricSegment); lz4 keeps them small and fast to read.
        modelBuilder.Ignore<MetricPoint>();
        modelBuilder.Entity<MetricSegment>(e =>
        {
            e.ToTable("metric_segments");
            e.HasKey(x => new { x.RunId, x.KeyId, x.Block, x.Seq });
            e.Property(x => x.Seq).UseIdentityAlwaysColumn();
            e.Property(x => x.Steps).UseCompressionMethod("lz4");
            e.Property(x => x.Timestamps).UseCompressionMethod("lz4");
            e.Property(x => x.Values).UseCompressionMethod("lz4");
        });

        modelBuilder.HasDbFunction(typeof(CairnDb).GetMethod(nameof(FoldCase))!)
            .HasTranslation(arguments => new SqlFunctionExpression(
                "lower", [new CollateExpression(arguments[0], FoldCollation)], nullable: true, argumentsPropagateNullability: [true], typeof(string), null));
    }

    /// <summary>Whether <paramref name="exception"/> means PostgreSQL could not be reached or went away (restart, network).</summary>
    public static bool IsUnavailable(Exception exception) =>
        exception is NpgsqlException { IsTransient: true } || exception.InnerException is NpgsqlException { IsTransient: true };
}
