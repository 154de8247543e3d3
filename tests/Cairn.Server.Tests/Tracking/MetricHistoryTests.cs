using System.Net;
using System.Text.Json;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Tracking;

public sealed class MetricHistoryTests
{
    [Fact]
    public async Task History_returns_every_point_in_step_order()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("loss", 0.3, 30, 3), Points.Metric("loss", 0.1, 10, 1), Points.Metric("loss", 0.2, 20, 2), Points.Metric("other", 9.0)]);

        var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "loss"))).Ok();

        var points = history["metrics"]!.AsArray();
        Assert.Equal([1L, 2L, 3L], points.Select(p => (long)p!["step"]!));
        Assert.Equal([0.1, 0.2, 0.3], points.Select(p => (double)p!["value"]!));
        Assert.All(points, p => Assert.Equal("loss", (string)p!["key"]!));
        Assert.Null(history["next_page_token"]);
    }

    [Fact]
    public async Task History_pages_follow_the_token_to_the_end()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        await mlflow.LogBatchAsync(runId, metrics: [.. Enumerable.Range(0, 25).Select(i => Points.Metric("m", i, 1, i))]);

        var steps = new List<long>();
        string? token = null;
        var pages = 0;
        do
        {
            var query = new List<(string, string)> { ("run_id", runId), ("metric_key", "m"), ("max_results", "10") };
            if (token is not null)
            {
                query.Add(("page_token", token));
            }

            var page = (await mlflow.GetAsync("metrics/get-history", [.. query])).Ok();
            steps.AddRange(page["metrics"]?.AsArray().Select(p => (long)p!["step"]!) ?? []);
            token = (string?)page["next_page_token"];
            pages++;
        }
        while (token is not null);

        Assert.Equal(Enumerable.Range(0, 25).Select(i => (long)i), steps);
        Assert.Equal(3, pages);
    }

    [Fact]
    public async Task Points_logged_one_at_a_time_out_of_order_and_replayed_are_read_back_once_each_in_order()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        // 40 single-point writes in one block, in a scrambled order (enough for PostgreSQL to merge small segments
        // several times), a NaN and a value at an existing step and time, then every write replayed once more.
        var steps = Enumerable.Range(0, 40).Select(i => (long)(i * 7 % 40)).ToArray();
        var writes = steps.Select(step => Points.Metric("loss", step / 10.0, 1000 + step, step))
            .Append(Points.Metric("loss", "NaN", 1005, 5)).Append(Points.Metric("loss", -1.0, 1005, 5)).ToArray();
        foreach (var write in writes.Concat(writes))
        {
            await mlflow.LogBatchAsync(runId, metrics: [write]);
        }

        var points = new List<(long Step, double Value)>();
        string? token = null;
        do
        {
            var query = new List<(string, string)> { ("run_id", runId), ("metric_key", "loss"), ("max_results", "7") };
            if (token is not null)
            {
                query.Add(("page_token", token));
            }

            var page = (await mlflow.GetAsync("metrics/get-history", [.. query])).Ok();
            points.AddRange(page["metrics"]?.AsArray().Select(p => ((long)p!["step"]!, p["value"]!.GetValueKind() == JsonValueKind.String ? double.NaN : (double)p["value"]!)) ?? []);
            token = (string?)page["next_page_token"];
        }
        while (token is not null);

        Assert.Equal(42, points.Count);
        Assert.Equal(Enumerable.Range(0, 40).SelectMany(s => s == 5 ? [5L, 5L, 5L] : new[] { (long)s }), points.Select(p => p.Step));
        // At one step and time, values in order with NaN read as 0 (as SQLite stores it), on both stores.
        Assert.Equal([-1.0, double.NaN, 0.5], points.Where(p => p.Step == 5).Select(p => p.Value));
    }

    [Fact]
    public async Task History_of_a_key_never_logged_is_empty()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "nothing"))).Ok();

        Assert.Null(history["metrics"]);
    }

    [Fact]
    public async Task History_of_an_unknown_run_is_empty_as_mlflow_answers_and_needs_a_metric_key()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var unknown = await mlflow.GetAsync("metrics/get-history", ("run_id", "00000000000000000000000000000000"), ("metric_key", "m"));
        var noKey = await mlflow.GetAsync("metrics/get-history", ("run_id", runId));
        var badToken = await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "m"), ("page_token", "garbage!"));

        Assert.Equal("{}", unknown.Ok().ToJsonString());
        noKey.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'metric_key'");
        badToken.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "page token");
    }

    [Fact]
    public async Task Bulk_interval_samples_each_run_keeping_the_first_and_last_step()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var first = await mlflow.CreateRunAsync("0");
        var second = await mlflow.CreateRunAsync("0");
        await mlflow.LogBatchAsync(first, metrics: [.. Enumerable.Range(0, 1000).Select(i => Points.Metric("loss", 1.0 / (i + 1), 1, i))]);
        await mlflow.LogBatchAsync(second, metrics: [.. Enumerable.Range(0, 5).Select(i => Points.Metric("loss", i, 1, i))]);

        var points = (await mlflow.GetAsync("metrics/get-history-bulk-interval",
            ("run_ids", first), ("run_ids", second), ("metric_key", "loss"), ("max_results", "10"))).Ok()["metrics"]!.AsArray();

        var firstSteps = points.Where(p => (string)p!["run_id"]! == first).Select(p => (long)p!["step"]!).ToList();
        var secondSteps = points.Where(p => (string)p!["run_id"]! == second).Select(p => (long)p!["step"]!).ToList();
        Assert.Equal(10, firstSteps.Count);
        Assert.Equal(0, firstSteps[0]);
        Assert.Equal(999, firstSteps[^1]);
        Assert.Equal([0L, 1L, 2L, 3L, 4L], secondSteps);
    }

    [Fact]
    public async Task Bulk_interval_honours_the_step_window()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        await mlflow.LogBatchAsync(runId, metrics: [.. Enumerable.Range(0, 100).Select(i => Points.Metric("m", i, 1, i))]);

        var points = (await mlflow.GetAsync("metrics/get-history-bulk-interval",
            ("run_ids", runId), ("metric_key", "m"), ("start_step", "10"), ("end_step", "19"))).Ok()["metrics"]!.AsArray();

        Assert.Equal(Enumerable.Range(10, 10).Select(i => (long)i), points.Select(p => (long)p!["step"]!));
    }

    [Theory]
    [InlineData("max_results", "0", "max_results")]
    [InlineData("max_results", "2501", "max_results")]
    [InlineData("start_step", "5", "start step")]
    public async Task Bulk_interval_rejects_bad_arguments(string key, string value, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.GetAsync("metrics/get-history-bulk-interval", ("run_ids", runId), ("metric_key", "m"), (key, value));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
    }

    [Fact]
    public async Task Bulk_interval_accepts_at_most_100_runs()
    {
        await using var app = new CairnApp();
        var query = Enumerable.Range(0, 101).Select(i => ("run_ids", $"{i:D32}")).Append(("metric_key", "m")).ToArray();

        var response = await app.Mlflow().GetAsync("metrics/get-history-bulk-interval", query);

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "100");
    }
}
