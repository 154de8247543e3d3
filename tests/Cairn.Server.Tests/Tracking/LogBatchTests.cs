using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Tracking;

public sealed class LogBatchTests
{
    [Fact]
    public async Task A_batch_writes_metrics_params_and_tags_together()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.LogBatchAsync(runId,
            metrics: [Points.Metric("acc", 0.5, step: 0), Points.Metric("acc", 0.75, step: 1), Points.Metric("loss", 1.5)],
            @params: [Points.Kv("lr", "0.01"), Points.Kv("model", "xgb")],
            tags: [Points.Kv("team", "a"), Points.Kv("team", "b")]);

        var data = (await mlflow.GetRunAsync(runId))["data"]!;
        var metrics = data["metrics"]!.AsArray().ToDictionary(m => (string)m!["key"]!, m => (double)m!["value"]!);
        Assert.Equal(0.75, metrics["acc"]);
        Assert.Equal(1.5, metrics["loss"]);
        Assert.Equal(2, data["params"]!.AsArray().Count);
        Assert.Contains(data["tags"]!.AsArray(), t => (string)t!["key"]! == "team" && (string)t["value"]! == "b");
    }

    [Fact]
    public async Task A_replayed_batch_adds_nothing_but_a_different_value_at_the_same_step_and_time_is_kept()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        object[] batch = [Points.Metric("m", 1.0, 100, 1), Points.Metric("m", 2.0, 200, 2)];

        await mlflow.LogBatchAsync(runId, metrics: batch);
        await mlflow.LogBatchAsync(runId, metrics: batch);
        await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("m", 3.0, 200, 2)]);

        var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "m"))).Ok()["metrics"]!.AsArray();
        Assert.Equal([1.0, 2.0, 3.0], history.Select(p => (double)p!["value"]!));
    }

    [Fact]
    public async Task NaN_and_infinities_are_legal_and_round_trip()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("a", "NaN", step: 0), Points.Metric("a", "Infinity", step: 1), Points.Metric("a", "-Infinity", step: 2)]);

        var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "a"))).Ok()["metrics"]!.AsArray();
        Assert.Equal(["NaN", "Infinity", "-Infinity"], history.Select(p => (string)p!["value"]!));
        var latest = Assert.Single((await mlflow.GetRunAsync(runId))["data"]!["metrics"]!.AsArray())!;
        Assert.Equal("-Infinity", (string)latest["value"]!);
    }

    [Theory]
    [InlineData(1001, 0, 0, "metrics")]
    [InlineData(0, 101, 0, "params")]
    [InlineData(0, 0, 101, "tags")]
    [InlineData(1000, 0, 1, "together")]
    public async Task Batches_over_the_limits_are_rejected_whole(int metrics, int parameters, int tags, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            metrics = Enumerable.Range(0, metrics).Select(i => Points.Metric("m", i, step: i)).ToArray(),
            @params = Enumerable.Range(0, parameters).Select(i => Points.Kv($"p{i}", "v")).ToArray(),
            tags = Enumerable.Range(0, tags).Select(i => Points.Kv($"t{i}", "v")).ToArray(),
        });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
        var data = (await mlflow.GetRunAsync(runId))["data"]!;
        Assert.Null(data["metrics"]);
        Assert.Null(data["params"]);
    }

    [Fact]
    public async Task A_batch_that_changes_a_param_writes_none_of_its_rows()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        await mlflow.LogBatchAsync(runId, @params: [Points.Kv("lr", "0.1")]);

        var response = await mlflow.PostAsync("runs/log-batch", new
        {
            run_id = runId,
            metrics = new[] { Points.Metric("loss", 1.0) },
            @params = new[] { Points.Kv("new", "x"), Points.Kv("lr", "0.2") },
            tags = new[] { Points.Kv("t", "v") },
        });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "lr");
        var data = (await mlflow.GetRunAsync(runId))["data"]!;
        Assert.Null(data["metrics"]);
        Assert.Single(data["params"]!.AsArray());
        Assert.DoesNotContain(data["tags"]!.AsArray(), t => (string)t!["key"]! == "t");
    }

    [Fact]
    public async Task Duplicate_param_keys_in_one_batch_are_rejected()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.PostAsync("runs/log-batch", new { run_id = runId, @params = new[] { Points.Kv("a", "1"), Points.Kv("a", "2") } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'a'");
    }

    [Theory]
    [InlineData("../up", "metrics[0].key")]
    [InlineData("/abs", "metrics[0].key")]
    [InlineData("bad*char", "metrics[0].key")]
    [InlineData("trailing/", "metrics[0].key")]
    [InlineData("a//b", "metrics[0].key")]
    public async Task Metric_keys_that_break_mlflows_rules_name_the_field(string key, string field)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.PostAsync("runs/log-batch", new { run_id = runId, metrics = new[] { Points.Metric(key, 1.0) } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", field);
    }

    [Fact]
    public async Task Keys_with_slashes_dots_spaces_dashes_and_colons_are_accepted()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("val/loss.avg top-1:x y", 1.0)]);

        Assert.Equal("val/loss.avg top-1:x y", (string)(await mlflow.GetRunAsync(runId))["data"]!["metrics"]![0]!["key"]!);
    }

    [Theory]
    [InlineData("{\"key\": \"m\", \"timestamp\": 1}", "metrics[0].value")]
    [InlineData("{\"key\": \"m\", \"value\": 1}", "metrics[0].timestamp")]
    [InlineData("{\"value\": 1, \"timestamp\": 1}", "metrics[0].key")]
    [InlineData("{\"key\": \"m\", \"value\": true, \"timestamp\": 1}", "metrics[0].value")]
    [InlineData("{\"key\": \"m\", \"value\": \"abc\", \"timestamp\": 1}", "metrics[0].value")]
    [InlineData("{\"key\": \"m\", \"value\": 1, \"timestamp\": -5}", "metrics[0].timestamp")]
    [InlineData("{\"key\": \"m\", \"value\": 1, \"timestamp\": 1.5}", "metrics[0].timestamp")]
    public async Task Bad_metric_fields_are_named(string metric, string field)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var body = $"{{\"run_id\": \"{runId}\", \"metrics\": [{metric}]}}";

        var response = await mlflow.PostRawAsync("runs/log-batch", System.Text.Encoding.UTF8.GetBytes(body));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", field);
        Assert.Null((await mlflow.GetRunAsync(runId))["data"]!["metrics"]);
    }

    [Fact]
    public async Task A_key_over_250_characters_is_rejected()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.PostAsync("runs/log-batch", new { run_id = runId, metrics = new[] { Points.Metric(new string('k', 251), 1.0) } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "250");
    }

    [Fact]
    public async Task A_batch_for_an_unknown_run_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("runs/log-batch", new { run_id = "abcdefabcdefabcdefabcdefabcdefab", metrics = new[] { Points.Metric("m", 1.0) } });

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "abcdefabcdefabcdefabcdefabcdefab");
    }

    [Fact]
    public async Task Concurrent_batches_from_many_clients_are_all_stored()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runIds = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => mlflow.CreateRunAsync("0")));

        await Task.WhenAll(runIds.Select(runId => Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                await mlflow.LogBatchAsync(runId, metrics: [.. Enumerable.Range(0, 500).Select(i => Points.Metric("m", i, 1000 + batch, batch * 500 + i))]);
            }
        })));

        foreach (var runId in runIds)
        {
            var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "m"))).Ok()["metrics"]!.AsArray();
            Assert.Equal(5000, history.Count);
            Assert.Equal(4999, (long)history[^1]!["step"]!);
        }
    }

    [Fact]
    public async Task Runs_written_at_once_may_bring_the_same_new_keys_in_any_order_and_each_run_keeps_its_order()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runIds = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => mlflow.CreateRunAsync("0")));

        // Every run brings the same ten new keys per batch, each run in its own order: on PostgreSQL the runs spread
        // over the writer's lanes, which insert the keys at the same moment.
        await Task.WhenAll(runIds.Select((runId, client) => Task.Run(async () =>
        {
            for (var batch = 0; batch < 10; batch++)
            {
                var keys = Enumerable.Range(0, 10).Select(k => $"k{batch}-{k}").OrderBy(k => (k.GetHashCode() ^ client) & 0xff).ToArray();
                await mlflow.LogBatchAsync(runId,
                    metrics: [.. keys.Select(k => Points.Metric(k, batch, 1000 + batch, batch)), Points.Metric("progress", batch, 1000 + batch, batch)],
                    tags: [Points.Kv("last_batch", batch.ToString())]);
            }
        })));

        foreach (var runId in runIds)
        {
            var data = (await mlflow.GetRunAsync(runId))["data"]!;
            Assert.Equal(101, data["metrics"]!.AsArray().Count);
            Assert.Contains(data["tags"]!.AsArray(), t => (string)t!["key"]! == "last_batch" && (string)t["value"]! == "9");
            var progress = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "progress"))).Ok()["metrics"]!.AsArray();
            Assert.Equal(Enumerable.Range(0, 10), progress.Select(p => (int)(long)p!["step"]!));
        }
    }
}
