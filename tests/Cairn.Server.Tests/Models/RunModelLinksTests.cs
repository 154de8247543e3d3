using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

/// <summary>The logged models a run produced (runs/outputs) and used (log-inputs with models), as runs/get lists them.</summary>
public sealed class RunModelLinksTests
{
    [Fact]
    public async Task Outputs_are_listed_by_runs_get_once_each_however_often_they_are_sent()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var first = await LoggedModelRequests.CreateIdAsync(mlflow, "0");
        var second = await LoggedModelRequests.CreateIdAsync(mlflow, "0");
        var outputs = new { run_id = runId, models = new[] { new { model_id = first, step = 0L }, new { model_id = second, step = 5L } } };

        (await mlflow.PostAsync("runs/outputs", outputs)).Ok();
        (await mlflow.PostAsync("runs/outputs", outputs)).Ok();

        var run = await mlflow.GetRunAsync(runId);
        Assert.Equal($$"""{"model_outputs":[{"model_id":"{{first}}","step":0},{"model_id":"{{second}}","step":5}]}""", run["outputs"]!.ToJsonString());
    }

    [Fact]
    public async Task A_run_without_models_has_empty_outputs_and_search_leaves_them_out()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var run = await mlflow.GetRunAsync(runId);
        var found = (await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { "0" } }))["runs"]![0]!;

        Assert.Equal("{}", run["outputs"]!.ToJsonString());
        Assert.Equal("{}", run["inputs"]!.ToJsonString());
        Assert.Null(found["outputs"]);
    }

    [Fact]
    public async Task Outputs_need_a_run_models_with_ids_and_steps_and_known_models()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var modelId = await LoggedModelRequests.CreateIdAsync(mlflow, "0");
        const string unknownModel = "m-0123456789abcdef0123456789abcdef";

        (await mlflow.PostAsync("runs/outputs", new { run_id = runId })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "models");
        (await mlflow.PostAsync("runs/outputs", new { run_id = runId, models = new[] { new { model_id = modelId } } }))
            .IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "models[0].step");
        (await mlflow.PostAsync("runs/outputs", new { run_id = runId, models = new[] { new { model_id = unknownModel, step = 0 } } }))
            .IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknownModel);
        (await mlflow.PostAsync("runs/outputs", new { run_id = "0123456789abcdef0123456789abcdef", models = new[] { new { model_id = modelId, step = 0 } } }))
            .IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "0123456789abcdef0123456789abcdef");
        await mlflow.OkAsync("runs/delete", new { run_id = runId });
        (await mlflow.PostAsync("runs/outputs", new { run_id = runId, models = new[] { new { model_id = modelId, step = 0 } } }))
            .IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'active' state");
    }

    [Fact]
    public async Task Models_a_run_used_are_its_model_inputs_next_to_its_datasets()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var modelId = await LoggedModelRequests.CreateIdAsync(mlflow, "0");
        var dataset = new { dataset = new { name = "iris", digest = "abc", source_type = "local", source = "{}" } };

        (await mlflow.PostAsync("runs/log-inputs", new { run_id = runId, datasets = new[] { dataset }, models = new[] { new { model_id = modelId } } })).Ok();
        (await mlflow.PostAsync("runs/log-inputs", new { run_id = runId, models = new[] { new { model_id = modelId } } })).Ok();
        var unknown = await mlflow.PostAsync("runs/log-inputs", new { run_id = runId, models = new[] { new { model_id = "m-missing" } } });

        unknown.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "m-missing");
        var inputs = (await mlflow.GetRunAsync(runId))["inputs"]!;
        Assert.Equal($$"""[{"model_id":"{{modelId}}"}]""", inputs["model_inputs"]!.ToJsonString());
        Assert.Equal("iris", (string)inputs["dataset_inputs"]![0]!["dataset"]!["name"]!);
    }
}
