using Cairn.Server.Models.Logged;
using Cairn.Server.Registry;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Metrics;
using Cairn.Server.Tracking.Runs;
using Cairn.Server.Webhooks;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Server.Data;

/// <summary>
/// Cairn's relational state, one model for both stores. Tables and columns are snake_case so hand-written SQL on hot
/// paths reads naturally. Each store has its own subclass (<see cref="SqliteCairnDb"/>, <see cref="PostgresCairnDb"/>)
/// with its own migrations; code everywhere injects this type. The Data Protection keys live here too, so replicas
/// behind a load balancer decrypt each other's cookies and circuits.
/// </summary>
public abstract class CairnDb(DbContextOptions options) : DbContext(options), IDataProtectionKeyContext
{
    public DbSet<Experiment> Experiments => Set<Experiment>();
    public DbSet<ExperimentTag> ExperimentTags => Set<ExperimentTag>();
    public DbSet<Run> Runs => Set<Run>();
    public DbSet<Param> Params => Set<Param>();
    public DbSet<RunTag> RunTags => Set<RunTag>();
    public DbSet<MetricKey> MetricKeys => Set<MetricKey>();
    public DbSet<MetricPoint> Metrics => Set<MetricPoint>();
    public DbSet<LatestMetric> LatestMetrics => Set<LatestMetric>();
    public DbSet<MetricSummary> MetricSummaries => Set<MetricSummary>();
    public DbSet<Dataset> Datasets => Set<Dataset>();
    public DbSet<RunInput> RunInputs => Set<RunInput>();
    public DbSet<InputTag> InputTags => Set<InputTag>();
    public DbSet<RegisteredModel> RegisteredModels => Set<RegisteredModel>();
    public DbSet<RegisteredModelTag> RegisteredModelTags => Set<RegisteredModelTag>();
    public DbSet<ModelAlias> ModelAliases => Set<ModelAlias>();
    public DbSet<ModelVersion> ModelVersions => Set<ModelVersion>();
    public DbSet<ModelVersionTag> ModelVersionTags => Set<ModelVersionTag>();
    public DbSet<RegistryEvent> RegistryEvents => Set<RegistryEvent>();
    public DbSet<Webhook> Webhooks => Set<Webhook>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookDeliveryAttempt> WebhookDeliveryAttempts => Set<WebhookDeliveryAttempt>();
    public DbSet<WebhookOutboxCursor> WebhookOutboxCursors => Set<WebhookOutboxCursor>();
    public DbSet<LoggedModel> LoggedModels => Set<LoggedModel>();
    public DbSet<LoggedModelTag> LoggedModelTags => Set<LoggedModelTag>();
    public DbSet<LoggedModelParam> LoggedModelParams => Set<LoggedModelParam>();
    public DbSet<LoggedModelMetric> LoggedModelMetrics => Set<LoggedModelMetric>();
    public DbSet<RunModelInput> RunModelInputs => Set<RunModelInput>();
    public DbSet<RunModelOutput> RunModelOutputs => Set<RunModelOutput>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>
    /// Lower-cases text the way .NET's invariant culture does, in every script: ILIKE compares <c>FoldCase(column)</c>
    /// with a pattern lower-cased in C#. Each store maps it onto a SQL expression that folds beyond ASCII.
    /// </summary>
    [DbFunction]
    public static string FoldCase(string text) => throw new InvalidOperationException($"{nameof(FoldCase)} runs only inside a query.");

    /// <summary>
    /// Begins a transaction in which a read-modify-write of what <paramref name="scope"/> names (the registry, one
    /// run) cannot interleave with another one of the same scope, in this process or in another replica. SQLite
    /// serialises every write transaction anyway; PostgreSQL takes a transaction-scoped advisory lock on the scope.
    /// </summary>
    public abstract Task<IDbContextTransaction> BeginSerializedAsync(string scope, CancellationToken cancellationToken);

    /// <summary>Begins a read-only transaction whose queries all see one snapshot, without blocking writers; disposing it ends it.</summary>
    public abstract Task<IAsyncDisposable> BeginSnapshotAsync(CancellationToken cancellationToken);

    /// <summary>The store's fast reader of raw metric points.</summary>
    public abstract IMetricPointReader MetricPoints { get; }

    /// <summary>Bytes on disk of the stored metric points, their table and its indexes (not the summaries or latest values); null where the store cannot tell.</summary>
    public abstract Task<long?> MetricPointBytesAsync(CancellationToken cancellationToken);

    /// <summary>Bytes on disk of the whole database.</summary>
    public abstract Task<long> DatabaseBytesAsync(CancellationToken cancellationToken);

    /// <summary>Deletes every metric point of the run (points are kept without a foreign key, for write speed).</summary>
    public virtual Task DeleteMetricPointsAsync(int runId, CancellationToken cancellationToken) =>
        Metrics.Where(m => m.RunId == runId).ExecuteDeleteAsync(cancellationToken);

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Experiment>(e =>
        {
            e.HasIndex(x => x.Name).IsUnique();
            e.HasMany(x => x.Tags).WithOne().HasForeignKey(t => t.ExperimentId);
        });
        modelBuilder.Entity<ExperimentTag>().HasKey(x => new { x.ExperimentId, x.Key });

        modelBuilder.Entity<Run>(e =>
        {
            e.HasIndex(x => x.Uuid).IsUnique();
            e.HasIndex(x => new { x.ExperimentId, x.LifecycleStage, x.StartTime });
            e.HasOne<Experiment>().WithMany().HasForeignKey(x => x.ExperimentId);
            e.HasMany(x => x.Params).WithOne().HasForeignKey(p => p.RunId);
            e.HasMany(x => x.Tags).WithOne().HasForeignKey(t => t.RunId);
            e.HasMany(x => x.LatestMetrics).WithOne(m => m.Run).HasForeignKey(m => m.RunId);
            e.HasMany(x => x.Inputs).WithOne().HasForeignKey(i => i.RunId);
        });
        // (key, value, run_id) indexes let a param or tag filter find its runs in one covering range scan.
        modelBuilder.Entity<Param>().HasKey(x => new { x.RunId, x.Key });
        modelBuilder.Entity<Param>().HasIndex(x => new { x.Key, x.Value, x.RunId });
        modelBuilder.Entity<RunTag>().HasKey(x => new { x.RunId, x.Key });
        modelBuilder.Entity<RunTag>().HasIndex(x => new { x.Key, x.Value, x.RunId });

        modelBuilder.Entity<MetricKey>().HasIndex(x => x.Name).IsUnique();
        modelBuilder.Entity<MetricPoint>(e =>
        {
            e.HasKey(x => new { x.RunId, x.KeyId, x.Step, x.Timestamp, x.Value, x.IsNan });
            e.HasOne<Run>().WithMany().HasForeignKey(x => x.RunId);
            e.HasOne<MetricKey>().WithMany().HasForeignKey(x => x.KeyId);
        });
        modelBuilder.Entity<LatestMetric>(e =>
        {
            e.HasKey(x => new { x.RunId, x.KeyId });
            // Covering: a metric filter is one range scan that never visits the table.
            e.HasIndex(x => new { x.KeyId, x.Value, x.IsNan, x.RunId });
            e.HasOne(x => x.Key).WithMany().HasForeignKey(x => x.KeyId);
        });
        modelBuilder.Entity<MetricSummary>().HasKey(x => new { x.RunId, x.KeyId, x.Block });

        modelBuilder.Entity<Dataset>().HasIndex(x => new { x.ExperimentId, x.Name, x.Digest }).IsUnique();
        modelBuilder.Entity<Dataset>().HasOne<Experiment>().WithMany().HasForeignKey(x => x.ExperimentId);
        modelBuilder.Entity<RunInput>(e =>
        {
            e.HasIndex(x => new { x.RunId, x.DatasetId }).IsUnique();
            e.HasMany(x => x.Tags).WithOne().HasForeignKey(t => t.RunInputId);
        });
        modelBuilder.Entity<InputTag>().HasKey(x => new { x.RunInputId, x.Key });
        RegistryModel.Configure(modelBuilder);
        WebhookModel.Configure(modelBuilder);
        LoggedModelTables.Configure(modelBuilder);
    }
}
