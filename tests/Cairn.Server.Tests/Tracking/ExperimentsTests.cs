using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Tracking;

public sealed class ExperimentsTests
{
    [Fact]
    public async Task Create_then_get_returns_the_experiment_with_tags_and_a_proxied_artifact_location()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var created = await mlflow.OkAsync("experiments/create", new { name = "fraud", tags = new[] { Points.Kv("team", "risk") } });
        var id = (string)created["experiment_id"]!;
        var experiment = (await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!;

        Assert.Equal("fraud", (string)experiment["name"]!);
        Assert.Equal($"mlflow-artifacts:/{id}", (string)experiment["artifact_location"]!);
        Assert.Equal("active", (string)experiment["lifecycle_stage"]!);
        Assert.Equal("risk", (string)experiment["tags"]![0]!["value"]!);
        Assert.True((long)experiment["creation_time"]! > 0);
    }

    [Fact]
    public async Task The_default_experiment_exists()
    {
        await using var app = new CairnApp();

        var experiment = (await app.Mlflow().GetAsync("experiments/get-by-name", ("experiment_name", "Default"))).Ok()["experiment"]!;

        Assert.Equal("0", (string)experiment["experiment_id"]!);
    }

    [Fact]
    public async Task A_duplicate_name_is_rejected_even_when_the_first_is_deleted()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var id = await mlflow.CreateExperimentAsync("dup");
        await mlflow.OkAsync("experiments/delete", new { experiment_id = id });

        var response = await mlflow.PostAsync("experiments/create", new { name = "dup" });

        response.IsError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS", "dup");
    }

    [Fact]
    public async Task Get_by_name_of_an_unknown_experiment_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().GetAsync("experiments/get-by-name", ("experiment_name", "nope"));

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "nope");
    }

    [Theory]
    [InlineData("experiments/get", "experiment_id", "12345")]
    [InlineData("experiments/get", "experiment_id", "abc")]
    public async Task Get_of_an_unknown_id_is_resource_does_not_exist(string path, string key, string value)
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().GetAsync(path, (key, value));

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", value);
    }

    [Fact]
    public async Task Missing_name_names_the_field()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("experiments/create", new { });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'name'");
    }

    [Theory]
    [InlineData("runs:/abc/model")]
    [InlineData("s3://bucket/path#fragment")]
    public async Task Invalid_artifact_locations_are_rejected(string location)
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("experiments/create", new { name = "x", artifact_location = location });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "artifact_location");
    }

    [Fact]
    public async Task Rename_changes_the_name_and_refuses_a_taken_one()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var id = await mlflow.CreateExperimentAsync("old");
        await mlflow.CreateExperimentAsync("taken");

        await mlflow.OkAsync("experiments/update", new { experiment_id = id, new_name = "new" });
        var clash = await mlflow.PostAsync("experiments/update", new { experiment_id = id, new_name = "taken" });

        var experiment = (await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!;
        Assert.Equal("new", (string)experiment["name"]!);
        clash.IsError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS", "taken");
    }

    [Fact]
    public async Task Delete_and_restore_carry_the_experiments_runs_along()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var id = await mlflow.CreateExperimentAsync("lifecycle");
        var runId = await mlflow.CreateRunAsync(id);

        await mlflow.OkAsync("experiments/delete", new { experiment_id = id });
        var deletedRun = await mlflow.GetRunAsync(runId);
        var deletedExperiment = (await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!;
        var createInDeleted = await mlflow.PostAsync("runs/create", new { experiment_id = id });
        await mlflow.OkAsync("experiments/restore", new { experiment_id = id });
        var restoredRun = await mlflow.GetRunAsync(runId);

        Assert.Equal("deleted", (string)deletedExperiment["lifecycle_stage"]!);
        Assert.Equal("deleted", (string)deletedRun["info"]!["lifecycle_stage"]!);
        createInDeleted.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "active");
        Assert.Equal("active", (string)restoredRun["info"]!["lifecycle_stage"]!);
    }

    [Fact]
    public async Task Deleting_a_deleted_experiment_or_restoring_an_active_one_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var id = await mlflow.CreateExperimentAsync("once");

        (await mlflow.PostAsync("experiments/restore", new { experiment_id = id })).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        await mlflow.OkAsync("experiments/delete", new { experiment_id = id });
        var deletedAt = (long)(await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!["last_update_time"]!;

        (await mlflow.PostAsync("experiments/delete", new { experiment_id = id })).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        var experiment = (await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!;
        Assert.Equal("deleted", (string)experiment["lifecycle_stage"]!);
        Assert.Equal(deletedAt, (long)experiment["last_update_time"]!);
    }

    [Fact]
    public async Task Restore_of_an_unknown_experiment_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("experiments/restore", new { experiment_id = "999" });

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Experiment_tags_are_set_overwritten_and_deleted()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var id = await mlflow.CreateExperimentAsync("tagged");

        await mlflow.OkAsync("experiments/set-experiment-tag", new { experiment_id = id, key = "k", value = "1" });
        await mlflow.OkAsync("experiments/set-experiment-tag", new { experiment_id = id, key = "k", value = "2" });
        await mlflow.OkAsync("experiments/set-experiment-tag", new { experiment_id = id, key = "gone", value = "x" });
        await mlflow.OkAsync("experiments/delete-experiment-tag", new { experiment_id = id, key = "gone" });
        var missing = await mlflow.PostAsync("experiments/delete-experiment-tag", new { experiment_id = id, key = "gone" });

        var tags = (await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!["tags"]!.AsArray();
        Assert.Single(tags);
        Assert.Equal("2", (string)tags[0]!["value"]!);
        missing.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "gone");
    }

    [Fact]
    public async Task An_experiment_tag_value_over_the_limit_is_rejected_and_not_stored()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var id = await mlflow.CreateExperimentAsync("limits");

        var response = await mlflow.PostAsync("experiments/set-experiment-tag", new { experiment_id = id, key = "k", value = new string('x', 5001) });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "value");
        Assert.Null((await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!["tags"]);
    }
}
