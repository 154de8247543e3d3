using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Runs;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Models.Logged;

/// <summary>The logged-model tables: models with their tags, params and metric points, and the runs' links to them.</summary>
public static class LoggedModelTables
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<LoggedModel>(e =>
        {
            e.HasIndex(x => x.ModelId).IsUnique();
            e.HasIndex(x => new { x.ExperimentId, x.LifecycleStage, x.CreationTimestamp });
            e.HasOne<Experiment>().WithMany().HasForeignKey(x => x.ExperimentId);
            e.HasMany(x => x.Tags).WithOne().HasForeignKey(t => t.LoggedModelId);
            e.HasMany(x => x.Params).WithOne().HasForeignKey(p => p.LoggedModelId);
        });
        modelBuilder.Entity<LoggedModelTag>().HasKey(x => new { x.LoggedModelId, x.Key });
        modelBuilder.Entity<LoggedModelParam>().HasKey(x => new { x.LoggedModelId, x.Key });
        modelBuilder.Entity<LoggedModelMetric>(e =>
        {
            e.HasKey(x => new { x.LoggedModelId, x.KeyId, x.Timestamp, x.Step, x.RunId });
            e.HasOne<LoggedModel>().WithMany().HasForeignKey(x => x.LoggedModelId);
            e.HasOne(x => x.Key).WithMany().HasForeignKey(x => x.KeyId);
            e.HasOne(x => x.Run).WithMany().HasForeignKey(x => x.RunId);
        });
        modelBuilder.Entity<RunModelOutput>(e =>
        {
            e.HasIndex(x => new { x.RunId, x.LoggedModelId, x.Step }).IsUnique();
            e.HasOne<Run>().WithMany().HasForeignKey(x => x.RunId);
        });
        modelBuilder.Entity<RunModelInput>(e =>
        {
            e.HasIndex(x => new { x.RunId, x.LoggedModelId }).IsUnique();
            e.HasOne<Run>().WithMany().HasForeignKey(x => x.RunId);
        });
    }
}
