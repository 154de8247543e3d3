using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

public sealed class RegisteredModelsTests
{
    [Fact]
    public async Task Create_then_get_returns_the_model_with_its_tags_and_description()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var created = (await mlflow.CreateModelAsync("fraud", [Points.Kv("team", "risk")], "scores card payments"))["registered_model"]!;
        var model = await mlflow.GetModelAsync("fraud");

        Assert.Equal("fraud", (string)created["name"]!);
        Assert.Equal("fraud", (string)model["name"]!);
        Assert.Equal("scores card payments", (string)model["description"]!);
        Assert.Equal("risk", (string)model["tags"]![0]!["value"]!);
        Assert.True((long)model["creation_timestamp"]! > 0);
        Assert.Equal((long)model["creation_timestamp"]!, (long)model["last_updated_timestamp"]!);
        Assert.Null(model["latest_versions"]);
    }

    [Fact]
    public async Task A_second_model_of_the_same_name_is_resource_already_exists()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("fraud");

        var response = await mlflow.PostAsync("registered-models/create", new { name = "fraud" });

        response.IsError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS", "fraud");
    }

    [Fact]
    public async Task An_unknown_model_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().GetAsync("registered-models/get", ("name", "nope"));

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "nope");
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("..\\x")]
    [InlineData(" padded")]
    [InlineData("100%")]
    public async Task Invalid_names_are_rejected_and_nothing_is_created(string name)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var response = await mlflow.PostAsync("registered-models/create", new { name });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'name'");
        var search = (await mlflow.GetAsync("registered-models/search")).Ok();
        Assert.Null(search["registered_models"]);
    }

    [Fact]
    public async Task Rename_moves_the_versions_and_frees_the_old_name()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("old");
        await mlflow.CreateVersionAsync("old");
        await mlflow.CreateModelAsync("taken");

        var clash = await mlflow.PostAsync("registered-models/rename", new { name = "old", new_name = "taken" });
        var renamed = (await mlflow.OkAsync("registered-models/rename", new { name = "old", new_name = "new" }))["registered_model"]!;

        clash.IsError(HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS", "taken");
        Assert.Equal("new", (string)renamed["name"]!);
        Assert.Equal("new", (string)(await mlflow.GetVersionAsync("new", 1))["name"]!);
        (await mlflow.GetAsync("registered-models/get", ("name", "old"))).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }

    [Fact]
    public async Task Update_changes_the_description()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m", description: "before");

        var updated = (await mlflow.SendAsync(HttpMethod.Patch, "registered-models/update", new { name = "m", description = "after" })).Ok();

        Assert.Equal("after", (string)updated["registered_model"]!["description"]!);
        Assert.Equal("after", (string)(await mlflow.GetModelAsync("m"))["description"]!);
    }

    [Fact]
    public async Task Delete_removes_the_model_and_its_versions()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");

        (await mlflow.SendAsync(HttpMethod.Delete, "registered-models/delete", new { name = "m" })).Ok();

        (await mlflow.GetAsync("registered-models/get", ("name", "m"))).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await mlflow.GetAsync("model-versions/get", ("name", "m"), ("version", "1"))).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Null((await mlflow.GetAsync("model-versions/search", ("filter", "name = 'm'"))).Ok()["model_versions"]);
    }

    [Fact]
    public async Task Tags_are_set_replaced_and_deleted()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");

        await mlflow.OkAsync("registered-models/set-tag", new { name = "m", key = "owner", value = "a" });
        await mlflow.OkAsync("registered-models/set-tag", new { name = "m", key = "owner", value = "b" });
        var tagged = await mlflow.GetModelAsync("m");
        (await mlflow.SendAsync(HttpMethod.Delete, "registered-models/delete-tag", new { name = "m", key = "owner" })).Ok();
        var untagged = await mlflow.GetModelAsync("m");
        var badKey = await mlflow.PostAsync("registered-models/set-tag", new { name = "m", key = "../x", value = "v" });

        Assert.Equal("b", (string)tagged["tags"]![0]!["value"]!);
        Assert.Null(untagged["tags"]);
        badKey.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'key'");
    }

    [Fact]
    public async Task Latest_versions_hold_the_newest_version_of_each_stage()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        for (var i = 0; i < 4; i++)
        {
            await mlflow.CreateVersionAsync("m");
        }

        await mlflow.OkAsync("model-versions/transition-stage", new { name = "m", version = "2", stage = "production" });
        await mlflow.OkAsync("model-versions/transition-stage", new { name = "m", version = "1", stage = "Production" });

        var latest = (await mlflow.GetModelAsync("m"))["latest_versions"]!.AsArray();
        var production = (await mlflow.OkAsync("registered-models/get-latest-versions", new { name = "m", stages = new[] { "PRODUCTION" } }))["model_versions"]!.AsArray();
        var all = (await mlflow.OkAsync("registered-models/get-latest-versions", new { name = "m" }))["model_versions"]!.AsArray();
        var unknown = await mlflow.PostAsync("registered-models/get-latest-versions", new { name = "m", stages = new[] { "Prod" } });

        Assert.Equal(["2:Production", "4:None"], latest.Select(v => $"{v!["version"]}:{v["current_stage"]}"));
        Assert.Equal("2", (string)production.Single()!["version"]!);
        Assert.Equal(2, all.Count);
        unknown.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "Prod");
    }
}
