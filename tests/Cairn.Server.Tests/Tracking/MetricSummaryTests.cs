using System.Net;
using System.Text.Json;
using Cairn.Server.Data;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Tracking;

public sealed class MetricSummaryTests
{
    [Fact]
    public async Task A_rejected_batch_leaves_the_summaries_as_they_were()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        await mlflow.LogBatchAsync(runId, metrics: [.. Enumerable.Range(0, 100).Select(i => Points.Metric("m", i, 1, i))], @params: [Points.Kv("lr", "0.1")]);
        var before = await SummaryRowsAsync(app);

        var rejected = await mlflow.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            metrics = new[] { Points.Metric("m", 1e9, 1, 50), Points.Metric("m", -1e9, 1, 5000) },
            @params = new[] { Points.Kv("lr", "0.2") },
        });

        rejected.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "Changing param values is not allowed");
        Assert.Equal(before, await SummaryRowsAsync(app));
    }

    [SqliteOnlyFact("the backfill is a migration of SQLite databases older than the summaries; PostgreSQL's schema starts with them")]
    public async Task The_migration_fills_in_the_summaries_the_writer_keeps()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        // Two keys over five blocks (two of negative steps), values with many ties, NaN, a block of only NaN,
        // two timestamps at some steps, points sent twice, batches out of step order.
        var random = new Random(7);
        object[] points = [.. Enumerable.Range(-1500, 5000).SelectMany(step => (object[])[
            Points.Metric(step % 2 == 0 ? "a" : "b", step is >= 2048 and < 3072 ? "NaN" : Math.Round(random.NextDouble() * 10), 1000 + (step % 3), step),
            .. step % 7 == 0 ? [Points.Metric("a", step % 5, 5000, step)] : Array.Empty<object>()])];
        foreach (var batch in points.Chunk(1000).Reverse())
        {
            await mlflow.LogBatchAsync(runId, metrics: batch);
        }

        await mlflow.LogBatchAsync(runId, metrics: points[..700]);
        var written = await SummaryRowsAsync(app);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var migrator = scope.ServiceProvider.GetRequiredService<CairnDb>().GetService<IMigrator>();
            await migrator.MigrateAsync("SearchIndexes");
            await migrator.MigrateAsync();
        }

        Assert.Contains("\"MinValue\":null", written, StringComparison.Ordinal);
        Assert.Contains("\"Block\":-2", written, StringComparison.Ordinal);
        Assert.Equal(written, await SummaryRowsAsync(app));
    }

    /// <summary>Every summary row, as JSON, in key order.</summary>
    private static async Task<string> SummaryRowsAsync(CairnApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        var rows = await db.MetricSummaries.AsNoTracking().OrderBy(s => s.RunId).ThenBy(s => s.KeyId).ThenBy(s => s.Block).ToListAsync();
        return JsonSerializer.Serialize(rows);
    }
}
