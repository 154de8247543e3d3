using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Tracking;

/// <summary>Tracking answers as MLflow's server gives them, where the stock client would see the difference.</summary>
public sealed class TrackingParityTests
{
    [Fact]
    public async Task Over_long_param_and_tag_values_are_cut_to_mlflows_limits_not_refused()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var param = new string('p', 6001);
        var tag = new string('t', 8001);

        await mlflow.OkAsync("runs/log-parameter", new { run_id = runId, key = "single", value = param });
        await mlflow.OkAsync("runs/set-tag", new { run_id = runId, key = "single", value = tag });
        await mlflow.OkAsync("runs/log-batch", new { run_id = runId, @params = new[] { new { key = "batched", value = param } }, tags = new[] { new { key = "batched", value = tag } } });

        var data = (await mlflow.GetRunAsync(runId))["data"]!;
        Assert.All(data["params"]!.AsArray(), p => Assert.Equal(6000, ((string)p!["value"]!).Length));
        Assert.All(data["tags"]!.AsArray().Where(t => !((string)t!["key"]!).StartsWith("mlflow.", StringComparison.Ordinal)),
            t => Assert.Equal(8000, ((string)t!["value"]!).Length));
        Assert.Equal(2, data["params"]!.AsArray().Count);
    }

    [Fact]
    public async Task Logging_the_same_over_long_param_twice_is_not_a_change()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var param = new string('p', 7000);

        await mlflow.OkAsync("runs/log-parameter", new { run_id = runId, key = "k", value = param });
        await mlflow.OkAsync("runs/log-parameter", new { run_id = runId, key = "k", value = param });
    }

    [Fact]
    public async Task Search_takes_integer_experiment_ids()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("numbered");
        var runId = await mlflow.CreateRunAsync(experimentId);

        var runs = (await mlflow.PostRawAsync("runs/search", System.Text.Encoding.UTF8.GetBytes($$"""{"experiment_ids": [{{experimentId}}]}"""))).Ok()["runs"]!.AsArray();

        Assert.Equal(runId, (string)Assert.Single(runs)!["info"]!["run_id"]!);
    }

    [Theory]
    [InlineData("metrics.loss ASC", "metrics.loss DESC")]
    [InlineData("start_time DESC", "attributes.created ASC")]
    [InlineData("params.lr", "params.lr DESC")]
    public async Task Ordering_by_the_same_field_twice_is_refused(string first, string second)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var response = await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { "0" }, order_by = new[] { first, second } });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "order_by");
    }

    [Fact]
    public async Task Create_answers_the_run_without_inputs_and_get_with_them()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var created = (await mlflow.OkAsync("runs/create", new { experiment_id = "0" }))["run"]!;
        var read = await mlflow.GetRunAsync((string)created["info"]!["run_id"]!);

        Assert.Null(created["inputs"]);
        Assert.NotNull(read["inputs"]);
    }
}
