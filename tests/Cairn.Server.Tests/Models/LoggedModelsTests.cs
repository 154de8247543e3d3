using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

public sealed class LoggedModelsTests
{
    [Fact]
    public async Task Create_returns_a_pending_model_under_the_experiments_artifact_location()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("models");
        var runId = await mlflow.CreateRunAsync(experimentId);

        var model = await LoggedModelRequests.CreateAsync(mlflow, experimentId, "iris", sourceRunId: runId, modelType: "Classifier",
            @params: [Points.Kv("n_estimators", "10")], tags: [Points.Kv("mlflow.source.type", "LOCAL")]);

        var info = model["info"]!;
        var modelId = (string)info["model_id"]!;
        Assert.Matches("^m-[0-9a-f]{32}$", modelId);
        Assert.Equal(experimentId, (string)info["experiment_id"]!);
        Assert.Equal("iris", (string)info["name"]!);
        Assert.Equal($"mlflow-artifacts:/{experimentId}/models/{modelId}/artifacts", (string)info["artifact_uri"]!);
        Assert.Equal("LOGGED_MODEL_PENDING", (string)info["status"]!);
        Assert.Equal("Classifier", (string)info["model_type"]!);
        Assert.Equal(runId, (string)info["source_run_id"]!);
        Assert.Equal((long)info["creation_timestamp_ms"]!, (long)info["last_updated_timestamp_ms"]!);
        Assert.Equal("LOCAL", LoggedModelRequests.KeyValues(info["tags"])["mlflow.source.type"]);
        Assert.Equal("10", LoggedModelRequests.KeyValues(model["data"]!["params"])["n_estimators"]);
        Assert.Equal(model.ToJsonString(), (await LoggedModelRequests.GetAsync(mlflow, modelId)).ToJsonString());
    }

    [Fact]
    public async Task A_model_without_a_name_gets_a_generated_one_and_an_empty_data_object()
    {
        await using var app = new CairnApp();

        var model = await LoggedModelRequests.CreateAsync(app.Mlflow(), "0");

        Assert.Matches("^[a-z]+-[a-z]+-[0-9]{3}$", (string)model["info"]!["name"]!);
        Assert.Equal("{}", model["data"]!.ToJsonString());
        Assert.Null(model["info"]!["tags"]);
    }

    [Fact]
    public async Task Create_needs_an_existing_active_experiment()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("gone");
        await mlflow.OkAsync("experiments/delete", new { experiment_id = experimentId });

        (await mlflow.PostAsync("logged-models", new { experiment_id = "404" })).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "404");
        (await mlflow.PostAsync("logged-models", new { experiment_id = experimentId })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'active' state");
        (await mlflow.PostAsync("logged-models", new { name = "m" })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "experiment_id");
    }

    [Fact]
    public async Task Params_and_tags_need_keys_and_values()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        (await mlflow.PostAsync("logged-models", new { experiment_id = "0", @params = new[] { new { value = "1" } } }))
            .IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "params[0].key");
        (await mlflow.PostAsync("logged-models", new { experiment_id = "0", tags = new[] { new { key = "k" } } }))
            .IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "tags[0].value");
        (await mlflow.PostAsync("logged-models", new { experiment_id = "0", @params = new[] { Points.Kv("a", "1"), Points.Kv("a", "2") } }))
            .IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'a'");
    }

    [Fact]
    public async Task An_unknown_model_is_resource_does_not_exist_on_every_route()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        const string unknown = "m-0123456789abcdef0123456789abcdef";

        (await mlflow.GetAsync($"logged-models/{unknown}")).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
        (await LoggedModelRequests.FinalizeAsync(mlflow, unknown, "LOGGED_MODEL_READY")).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
        (await mlflow.SendAsync(HttpMethod.Delete, $"logged-models/{unknown}")).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
        (await mlflow.SendAsync(HttpMethod.Patch, $"logged-models/{unknown}/tags", new { tags = new[] { Points.Kv("k", "v") } }))
            .IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
        (await mlflow.SendAsync(HttpMethod.Delete, $"logged-models/{unknown}/tags/k")).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
        (await mlflow.PostAsync($"logged-models/{unknown}/params", new { @params = new[] { Points.Kv("k", "v") } }))
            .IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
        (await mlflow.GetAsync($"logged-models/{unknown}/artifacts/directories")).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
    }

    [Fact]
    public async Task Finalize_sets_ready_or_upload_failed_and_the_update_time()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var ready = await LoggedModelRequests.CreateIdAsync(mlflow, "0");
        var failed = await LoggedModelRequests.CreateIdAsync(mlflow, "0");

        var model = (await LoggedModelRequests.FinalizeAsync(mlflow, ready, "LOGGED_MODEL_READY")).Ok()["model"]!;
        (await LoggedModelRequests.FinalizeAsync(mlflow, failed, 3)).Ok();

        Assert.Equal("LOGGED_MODEL_READY", (string)model["info"]!["status"]!);
        Assert.True((long)model["info"]!["last_updated_timestamp_ms"]! >= (long)model["info"]!["creation_timestamp_ms"]!);
        Assert.Equal("LOGGED_MODEL_UPLOAD_FAILED", (string)(await LoggedModelRequests.GetAsync(mlflow, failed))["info"]!["status"]!);
    }

    [Theory]
    [InlineData("READY")]
    [InlineData("LOGGED_MODEL_PENDING")]
    [InlineData("LOGGED_MODEL_STATUS_UNSPECIFIED")]
    [InlineData(7)]
    public async Task Finalize_refuses_any_other_status(object status)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var modelId = await LoggedModelRequests.CreateIdAsync(mlflow, "0");

        (await LoggedModelRequests.FinalizeAsync(mlflow, modelId, status)).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "status");
        (await mlflow.SendAsync(HttpMethod.Patch, $"logged-models/{modelId}", new { model_id = modelId })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "status");
        Assert.Equal("LOGGED_MODEL_PENDING", (string)(await LoggedModelRequests.GetAsync(mlflow, modelId))["info"]!["status"]!);
    }

    [Fact]
    public async Task A_deleted_model_is_gone_unless_deleted_ones_are_asked_for()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var modelId = await LoggedModelRequests.CreateIdAsync(mlflow, "0");

        (await mlflow.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}")).Ok();

        (await mlflow.GetAsync($"logged-models/{modelId}")).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", modelId);
        var deleted = (await mlflow.GetAsync($"logged-models/{modelId}", ("allow_deleted", "True"))).Ok()["model"]!;
        Assert.Equal(modelId, (string)deleted["info"]!["model_id"]!);
    }

    [Fact]
    public async Task Tags_are_set_overwritten_and_deleted()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var modelId = await LoggedModelRequests.CreateIdAsync(mlflow, "0");

        (await mlflow.SendAsync(HttpMethod.Patch, $"logged-models/{modelId}/tags", new { tags = new[] { Points.Kv("stage", "dev"), Points.Kv("team/owner", "analyst-1") } })).Ok();
        (await mlflow.SendAsync(HttpMethod.Patch, $"logged-models/{modelId}/tags", new { tags = new[] { Points.Kv("stage", "prod") } })).Ok();
        (await mlflow.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}/tags/team/owner")).Ok();
        var missing = await mlflow.SendAsync(HttpMethod.Delete, $"logged-models/{modelId}/tags/team/owner");

        missing.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "team/owner");
        var tags = LoggedModelRequests.KeyValues((await LoggedModelRequests.GetAsync(mlflow, modelId))["info"]!["tags"]);
        Assert.Equal(new Dictionary<string, string> { ["stage"] = "prod" }, tags);
    }

    [Fact]
    public async Task Params_are_added_once_and_never_changed()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var modelId = (string)(await LoggedModelRequests.CreateAsync(mlflow, "0", @params: [Points.Kv("lr", "0.1")]))["info"]!["model_id"]!;

        (await mlflow.PostAsync($"logged-models/{modelId}/params", new { model_id = modelId, @params = new[] { Points.Kv("lr", "0.1"), Points.Kv("depth", "4") } })).Ok();
        var changed = await mlflow.PostAsync($"logged-models/{modelId}/params", new { model_id = modelId, @params = new[] { Points.Kv("lr", "0.2") } });

        changed.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "lr");
        var parameters = LoggedModelRequests.KeyValues((await LoggedModelRequests.GetAsync(mlflow, modelId))["data"]!["params"]);
        Assert.Equal(new Dictionary<string, string> { ["lr"] = "0.1", ["depth"] = "4" }, parameters);
    }
}
