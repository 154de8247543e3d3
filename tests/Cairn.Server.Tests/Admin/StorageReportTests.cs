using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Admin;

/// <summary><c>GET /api/v1/admin/storage</c>: the points stored and their bytes on disk, on the store the run uses.</summary>
public sealed class StorageReportTests
{
    [Fact]
    public async Task The_report_counts_each_stored_point_once_and_measures_its_bytes()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var admin = new MlflowClient(mlflow.Http, "/api/v1/admin");
        var empty = (await admin.GetAsync("storage")).Ok();
        Assert.Equal(0, (long)empty["metric_points"]!);
        Assert.Null(empty["bytes_per_point"]);
        Assert.Equal(TestDatabase.IsPostgres ? "postgresql" : "sqlite", (string)empty["store"]!);

        var runId = await mlflow.CreateRunAsync("0");
        var batch = Enumerable.Range(0, 1000).Select(i => Points.Metric($"m{i % 10}", i * 0.5, 1000 + i, i / 10)).ToArray();
        await mlflow.LogBatchAsync(runId, metrics: batch);
        await mlflow.LogBatchAsync(runId, metrics: batch);

        var report = (await admin.GetAsync("storage")).Ok();
        Assert.Equal(1000, (long)report["metric_points"]!);
        Assert.True((long)report["database_bytes"]! > 0);
        if (TestDatabase.IsPostgres)
        {
            Assert.True((long)report["metric_point_bytes"]! > 0);
            Assert.InRange((double)report["bytes_per_point"]!, 1, 1000);
        }
        else
        {
            // SQLite's bundled build has no dbstat table to measure one table with.
            Assert.Null(report["metric_point_bytes"]);
        }
    }
}
