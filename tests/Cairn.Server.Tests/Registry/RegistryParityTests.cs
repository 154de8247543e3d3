using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

/// <summary>Registry answers shaped as MLflow's server shapes them, where a client or a script would see the difference.</summary>
public sealed class RegistryParityTests
{
    [Fact]
    public async Task The_download_uri_of_a_version_from_a_run_is_its_runs_source()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        var version = await mlflow.CreateVersionAsync("m");

        var uri = (string)(await mlflow.GetAsync("model-versions/get-download-uri", ("name", "m"), ("version", "1"))).Ok()["artifact_uri"]!;

        Assert.Equal((string)version["source"]!, uri);
        Assert.StartsWith("runs:/", uri, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_version_without_description_or_run_link_sends_them_empty()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");

        var created = (await mlflow.OkAsync("model-versions/create", new { name = "m", source = "s3://bucket/model" }))["model_version"]!;
        var read = (await mlflow.GetAsync("model-versions/get", ("name", "m"), ("version", "1"))).Ok()["model_version"]!;

        foreach (var version in new[] { created, read })
        {
            Assert.Equal("", (string)version["description"]!);
            Assert.Equal("", (string)version["run_link"]!);
        }
    }

    [Fact]
    public async Task Latest_versions_and_version_search_carry_no_aliases_while_get_does()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.SetAliasAsync("m", "champion", 1);

        var model = await mlflow.GetModelAsync("m");
        var found = (await mlflow.GetAsync("model-versions/search", ("filter", "name = 'm'"))).Ok()["model_versions"]!.AsArray();
        var got = (await mlflow.GetAsync("model-versions/get", ("name", "m"), ("version", "1"))).Ok()["model_version"]!;

        Assert.Null(model["latest_versions"]![0]!["aliases"]);
        Assert.Null(Assert.Single(found)!["aliases"]);
        Assert.Equal("champion", (string)got["aliases"]![0]!);
        Assert.Equal("champion", (string)model["aliases"]![0]!["alias"]!);
    }

    [Theory]
    [InlineData("m", "nope")]
    [InlineData("m", "CHAMPION")]
    [InlineData("no-such-model", "champion")]
    public async Task Resolving_an_alias_that_is_not_there_is_invalid_parameter_value(string model, string alias)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.SetAliasAsync("m", "champion", 1);

        var response = await mlflow.GetAsync("registered-models/alias", ("name", model), ("alias", alias));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", alias);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("7")]
    public async Task A_version_number_no_version_has_is_not_found(string version)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");

        var response = await mlflow.GetAsync("model-versions/get", ("name", "m"), ("version", version));

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
    }
}
