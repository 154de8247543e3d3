using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Webhooks;

/// <summary>The webhook tables and indexes.</summary>
public static class WebhookModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<WebhookDelivery>(e =>
        {
            e.HasOne<Webhook>().WithMany().HasForeignKey(x => x.WebhookId).OnDelete(DeleteBehavior.Cascade);
            e.HasMany(x => x.Attempts).WithOne().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
            e.HasIndex(x => x.Uuid).IsUnique();
            e.HasIndex(x => new { x.WebhookId, x.Id });

            // What the sender looks for: a webhook's oldest due pending delivery. Finished ones, most of the table, stay out of it.
            e.HasIndex(x => new { x.WebhookId, x.Id }, "pending").HasDatabaseName("ix_webhook_deliveries_pending").HasFilter("status = 'pending'");
        });
        modelBuilder.Entity<WebhookDeliveryAttempt>().HasIndex(x => new { x.DeliveryId, x.Number });
        modelBuilder.Entity<WebhookOutboxCursor>().Property(x => x.Id).ValueGeneratedNever();
        modelBuilder.Entity<WebhookOutboxCursor>().HasData(new WebhookOutboxCursor { Id = WebhookOutboxCursor.SingleId, LastEventId = 0 });
    }
}
