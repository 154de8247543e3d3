using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>The registry's tables and indexes.</summary>
public static class RegistryModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<RegisteredModel>(e =>
        {
            e.HasIndex(x => x.Name).IsUnique();
            e.HasIndex(x => x.LastUpdatedTime);
            e.HasMany(x => x.Tags).WithOne().HasForeignKey(t => t.ModelId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Aliases).WithOne().HasForeignKey(a => a.ModelId).OnDelete(DeleteBehavior.Cascade);
        });
        // (key, value, owner) indexes answer a tag filter with one range scan, as for run tags.
        modelBuilder.Entity<RegisteredModelTag>().HasKey(x => new { x.ModelId, x.Key });
        modelBuilder.Entity<RegisteredModelTag>().HasIndex(x => new { x.Key, x.Value, x.ModelId });
        modelBuilder.Entity<ModelAlias>().HasKey(x => new { x.ModelId, x.Alias });

        modelBuilder.Entity<ModelVersion>(e =>
        {
            e.HasIndex(x => new { x.ModelId, x.Version }).IsUnique();
            // Covers "latest version per stage" for a page of models.
            e.HasIndex(x => new { x.ModelId, x.Stage, x.Deleted, x.Id });
            e.HasIndex(x => x.RunId);
            e.HasIndex(x => x.LoggedModelId);
            e.HasOne(x => x.Model).WithMany().HasForeignKey(x => x.ModelId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Tags).WithOne().HasForeignKey(t => t.ModelVersionId).OnDelete(DeleteBehavior.Cascade);
        });
        modelBuilder.Entity<ModelVersionTag>().HasKey(x => new { x.ModelVersionId, x.Key });
        modelBuilder.Entity<ModelVersionTag>().HasIndex(x => new { x.Key, x.Value, x.ModelVersionId });

        modelBuilder.Entity<RegistryEvent>(e =>
        {
            e.HasIndex(x => new { x.ModelId, x.Id });
            e.HasIndex(x => new { x.ModelName, x.Id });
        });
    }
}
