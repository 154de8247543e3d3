using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

public sealed class ModelVersionsTests
{
    [Fact]
    public async Task Versions_count_up_are_ready_at_once_and_answer_their_runs_source_as_download_uri()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        var runId = await mlflow.CreateRunAsync("0");

        var first = await mlflow.CreateVersionAsync("m", runId, [Points.Kv("k", "v")]);
        var second = await mlflow.CreateVersionAsync("m", runId);
        var uri = (await mlflow.GetAsync("model-versions/get-download-uri", ("name", "m"), ("version", "2"))).Ok();

        Assert.Equal("1", (string)first["version"]!);
        Assert.Equal("2", (string)second["version"]!);
        Assert.Equal("READY", (string)first["status"]!);
        Assert.Equal("None", (string)first["current_stage"]!);
        Assert.Equal(runId, (string)first["run_id"]!);
        Assert.Equal($"runs:/{runId}/model", (string)first["source"]!);
        Assert.Equal("v", (string)first["tags"]![0]!["value"]!);
        Assert.Equal($"runs:/{runId}/model", (string)uri["artifact_uri"]!);
    }

    [Fact]
    public async Task A_deleted_version_is_hidden_its_number_not_reused_and_its_aliases_removed()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.SetAliasAsync("m", "champion", 2);

        (await mlflow.SendAsync(HttpMethod.Delete, "model-versions/delete", new { name = "m", version = "2" })).Ok();
        var third = await mlflow.CreateVersionAsync("m");

        (await mlflow.GetAsync("model-versions/get", ("name", "m"), ("version", "2"))).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "version=2");
        Assert.Equal("3", (string)third["version"]!);
        Assert.Null((await mlflow.GetModelAsync("m"))["aliases"]);
        Assert.Contains(await mlflow.EventsAsync(("name", "m"), ("action", "model_version_alias.deleted")), e => (string)e!["alias"]! == "champion");
    }

    [Fact]
    public async Task Update_and_tags_change_one_version()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");

        var updated = (await mlflow.SendAsync(HttpMethod.Patch, "model-versions/update", new { name = "m", version = "1", description = "first" })).Ok();
        await mlflow.OkAsync("model-versions/set-tag", new { name = "m", version = "1", key = "validated", value = "yes" });
        var tagged = await mlflow.GetVersionAsync("m", 1);
        (await mlflow.SendAsync(HttpMethod.Delete, "model-versions/delete-tag", new { name = "m", version = "1", key = "validated" })).Ok();

        Assert.Equal("first", (string)updated["model_version"]!["description"]!);
        Assert.Equal("yes", (string)tagged["tags"]![0]!["value"]!);
        Assert.Null((await mlflow.GetVersionAsync("m", 1))["tags"]);
    }

    [Fact]
    public async Task Transition_with_archive_existing_versions_archives_the_others_in_that_stage()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.OkAsync("model-versions/transition-stage", new { name = "m", version = "1", stage = "Production", archive_existing_versions = false });

        var moved = (await mlflow.OkAsync("model-versions/transition-stage", new { name = "m", version = "2", stage = "production", archive_existing_versions = true }))["model_version"]!;

        Assert.Equal("Production", (string)moved["current_stage"]!);
        Assert.Equal("Archived", (string)(await mlflow.GetVersionAsync("m", 1))["current_stage"]!);
    }

    [Theory]
    [InlineData("Prod", false, "Invalid Model Version stage")]
    [InlineData("None", true, "not an Active stage")]
    public async Task Bad_stage_transitions_are_invalid_parameter_value_and_change_nothing(string stage, bool archive, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");

        var response = await mlflow.PostAsync("model-versions/transition-stage", new { name = "m", version = "1", stage, archive_existing_versions = archive });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
        Assert.Equal("None", (string)(await mlflow.GetVersionAsync("m", 1))["current_stage"]!);
    }

    [Fact]
    public async Task Versions_that_are_not_numbers_or_do_not_exist_get_mlflows_errors()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");

        var notNumber = await mlflow.GetAsync("model-versions/get", ("name", "m"), ("version", "one"));
        var missing = await mlflow.GetAsync("model-versions/get", ("name", "m"), ("version", "7"));
        var unknownModel = await mlflow.PostAsync("model-versions/create", new { name = "nope", source = "s3://bucket/model" });

        notNumber.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'version' must be an integer");
        missing.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "version=7");
        unknownModel.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "nope");
    }

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("file:///etc/passwd")]
    [InlineData("C:\\models\\m")]
    [InlineData("model/../../secret")]
    [InlineData("s3://bucket/models/../../other")]
    [InlineData("s3://bucket/%2e%2e/other")]
    [InlineData("mlflow-artifacts:/0/abc/artifacts/..%2f..%2fx")]
    [InlineData("s3://bucket/a%00b")]
    public async Task Sources_on_the_server_disk_or_with_traversal_are_refused(string source)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");

        var response = await mlflow.PostAsync("model-versions/create", new { name = "m", source });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "source");
        Assert.Null((await mlflow.GetModelAsync("m"))["latest_versions"]);
    }

    [Fact]
    public async Task A_runs_source_with_traversal_or_an_unknown_run_is_refused()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        var runId = await mlflow.CreateRunAsync("0");

        var traversal = await mlflow.PostAsync("model-versions/create", new { name = "m", source = $"runs:/{runId}/../../x" });
        var unknown = await mlflow.PostAsync("model-versions/create", new { name = "m", source = "runs:/0123456789abcdef/model" });
        var mismatch = await mlflow.PostAsync("model-versions/create", new { name = "m", source = $"runs:/{runId}/model", run_id = "0123456789abcdef" });

        traversal.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "source");
        unknown.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "0123456789abcdef");
        mismatch.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "run_id");
    }

    [Fact]
    public async Task A_version_registered_from_another_version_shares_its_files()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("staging-m");
        await mlflow.CreateModelAsync("prod-m");
        var original = await mlflow.CreateVersionAsync("staging-m");

        var copy = (await mlflow.OkAsync("model-versions/create", new { name = "prod-m", source = "models:/staging-m/1" }))["model_version"]!;
        var uri = (await mlflow.GetAsync("model-versions/get-download-uri", ("name", "prod-m"), ("version", "1"))).Ok();
        var originalUri = (await mlflow.GetAsync("model-versions/get-download-uri", ("name", "staging-m"), ("version", "1"))).Ok();

        // The original answers its runs:/ source (the client resolves it through the run); the copy, where those files are.
        var runArtifacts = (string)(await mlflow.GetRunAsync((string)original["run_id"]!))["info"]!["artifact_uri"]!;
        Assert.Equal((string)original["run_id"]!, (string)copy["run_id"]!);
        Assert.Equal((string)original["source"]!, (string)originalUri["artifact_uri"]!);
        Assert.Equal($"{runArtifacts}/model", (string)uri["artifact_uri"]!);
    }
}
