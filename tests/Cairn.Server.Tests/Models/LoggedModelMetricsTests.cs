using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

/// <summary>Metrics logged with a <c>model_id</c> (3.x): kept for the run as always, and as the model's <c>data.metrics</c>.</summary>
public sealed class LoggedModelMetricsTests
{
    [Fact]
    public async Task Points_naming_a_model_become_its_metrics_with_run_and_dataset()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var modelId = await LoggedModelRequests.CreateIdAsync(mlflow, "0");

        (await mlflow.PostAsync("runs/log-metric", new
        {
            run_id = runId, key = "accuracy", value = 0.9, timestamp = 1000, step = 1, model_id = modelId, dataset_name = "iris", dataset_digest = "abc",
        })).Ok();
        await mlflow.LogBatchAsync(runId, metrics:
        [
            new { key = "loss", value = "NaN", timestamp = 1000, step = 0, model_id = modelId },
            new { key = "loss", value = "NaN", timestamp = 1000, step = 0, model_id = modelId },
            Points.Metric("run_only", 1.0),
        ]);

        var metrics = (await LoggedModelRequests.GetAsync(mlflow, modelId))["data"]!["metrics"]!;
        Assert.Equal(
            $$"""[{"key":"accuracy","value":0.9,"timestamp":1000,"step":1,"dataset_name":"iris","dataset_digest":"abc","model_id":"{{modelId}}","run_id":"{{runId}}"},{"key":"loss","value":"NaN","timestamp":1000,"step":0,"model_id":"{{modelId}}","run_id":"{{runId}}"}]""",
            metrics.ToJsonString());
        var runMetrics = (await mlflow.GetRunAsync(runId))["data"]!["metrics"]!.AsArray().Select(m => (string)m!["key"]!).Order(StringComparer.Ordinal);
        Assert.Equal(["accuracy", "loss", "run_only"], runMetrics);
    }

    [Theory]
    [InlineData("runs/log-batch")]
    [InlineData("runs/log-metric")]
    public async Task A_point_naming_an_unknown_model_is_logged_to_the_run_as_mlflow_2_logs_it(string route)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        object body = route == "runs/log-batch"
            ? new { run_id = runId, metrics = new object[] { Points.Metric("loss", 1.0), new { key = "acc", value = 0.5, timestamp = 1, model_id = "m-nope" } } }
            : new { run_id = runId, key = "acc", value = 0.5, timestamp = 1, model_id = "m-nope", unknown_field = "ignored" };
        (await mlflow.PostAsync(route, body)).Ok();

        var metrics = (await mlflow.GetRunAsync(runId))["data"]!["metrics"]!.AsArray();
        Assert.Contains(metrics, m => (string)m!["key"]! == "acc" && (double)m["value"]! == 0.5);
    }
}
