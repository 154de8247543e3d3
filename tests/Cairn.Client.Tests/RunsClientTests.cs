using Cairn.Client.Runs;

namespace Cairn.Client.Tests;

public sealed class RunsClientTests
{
    [Fact]
    public async Task A_nested_run_carries_its_parent_and_the_batch_it_logged()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var experimentId = await client.Experiments.CreateAsync("runs");
        var parent = await client.Runs.CreateAsync(experimentId, "parent");

        var child = await client.Runs.CreateAsync(experimentId, "child", parentRunId: parent.Id);
        await client.Runs.LogBatchAsync(child.Id,
            [new Metric("loss", 0.5, DateTimeOffset.UtcNow, 1), new Metric("loss", 0.25, DateTimeOffset.UtcNow, 2)],
            new Dictionary<string, string> { ["lr"] = "0.01" },
            new Dictionary<string, string> { ["team"] = "growth" });
        await client.Runs.EndAsync(child.Id, RunStatus.Failed);
        var read = await client.Runs.GetAsync(child.Id);

        Assert.Equal(parent.Id, read.ParentRunId);
        Assert.Equal("child", read.Name);
        Assert.Equal(RunStatus.Failed, read.Status);
        Assert.NotNull(read.EndTime);
        Assert.Equal(0.25, read.Metrics["loss"].Value);
        Assert.Equal(2, read.Metrics["loss"].Step);
        Assert.Equal("0.01", read.Params["lr"]);
        Assert.Equal("growth", read.Tags["team"]);
    }

    [Fact]
    public async Task Search_filters_orders_and_pages_like_mlflow()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var experimentId = await client.Experiments.CreateAsync("search");
        for (var i = 0; i < 5; i++)
        {
            var run = await client.Runs.CreateAsync(experimentId, $"r{i}");
            await client.Runs.LogBatchAsync(run.Id, [new Metric("acc", i / 10.0, DateTimeOffset.UtcNow, 0)]);
        }

        var page = await client.Runs.SearchAsync([experimentId], "metrics.acc >= 0.2", ["metrics.acc DESC"], maxResults: 2);
        var all = await client.Runs.SearchAllAsync([experimentId], "metrics.acc >= 0.2", ["metrics.acc DESC"]).ToListAsync();

        Assert.Equal(["r4", "r3"], page.Items.Select(r => r.Name));
        Assert.Equal(["r4", "r3", "r2"], all.Select(r => r.Name));
    }

    [Fact]
    public async Task A_bad_filter_is_an_invalid_parameter_error()
    {
        await using var server = new CairnServer();
        var client = server.Client();

        var error = await Assert.ThrowsAsync<CairnApiException>(() => client.Runs.SearchAsync(["0"], "metrics.acc >>> 1"));

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
    }

    [Fact]
    public async Task Metric_history_follows_pages_past_25000_points()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0");
        var now = DateTimeOffset.UtcNow;
        for (var batch = 0; batch < 30; batch++)
        {
            await client.Runs.LogBatchAsync(run.Id, [.. Enumerable.Range(batch * 1000, 1000).Select(step => new Metric("loss", step, now, step))]);
        }

        var history = await client.Runs.GetMetricHistoryAsync(run.Id, "loss");

        Assert.Equal(30_000, history.Count);
        Assert.Equal(Enumerable.Range(0, 30_000).Select(i => (long)i), history.Select(p => p.Step));
    }

    [Fact]
    public async Task Delete_and_restore_round_trip()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0");

        await client.Runs.DeleteAsync(run.Id);
        var deleted = await client.Runs.GetAsync(run.Id);
        await client.Runs.RestoreAsync(run.Id);

        Assert.True(deleted.IsDeleted);
        Assert.False((await client.Runs.GetAsync(run.Id)).IsDeleted);
    }

    [Fact]
    public async Task A_run_without_a_user_id_is_the_mlflow_user_tags()
    {
        await using var server = new CairnServer();
        var client = server.Client();

        var run = await client.Runs.CreateAsync("0", "tagged", new Dictionary<string, string> { ["mlflow.user"] = "ada" });

        Assert.Equal("ada", run.UserId);
        Assert.Equal("ada", (await client.Runs.GetAsync(run.Id)).UserId);
    }
}
