using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

public sealed class AliasesTests
{
    [Fact]
    public async Task An_alias_resolves_to_its_version_and_shows_on_the_model_and_the_version()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.CreateVersionAsync("m");

        await mlflow.SetAliasAsync("m", "champion", 1);
        var resolved = (await mlflow.GetAsync("registered-models/alias", ("name", "m"), ("alias", "champion"))).Ok()["model_version"]!;
        var model = await mlflow.GetModelAsync("m");

        Assert.Equal("1", (string)resolved["version"]!);
        Assert.Equal("champion", (string)resolved["aliases"]![0]!);
        Assert.Equal("champion", (string)model["aliases"]![0]!["alias"]!);
        Assert.Equal("1", (string)model["aliases"]![0]!["version"]!);
    }

    [Fact]
    public async Task Moving_an_alias_records_where_it_was_and_deleting_it_leaves_nothing_to_resolve()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.SetAliasAsync("m", "champion", 1);

        await mlflow.SetAliasAsync("m", "champion", 2);
        var moves = await mlflow.EventsAsync(("name", "m"), ("alias", "champion"), ("action", "model_version_alias.created"));
        (await mlflow.SendAsync(HttpMethod.Delete, "registered-models/alias", new { name = "m", alias = "champion" })).Ok();
        var gone = await mlflow.GetAsync("registered-models/alias", ("name", "m"), ("alias", "champion"));

        Assert.Equal("1", (string)moves[0]!["before"]!["version"]!);
        Assert.Equal("2", (string)moves[0]!["after"]!["version"]!);
        Assert.Null(moves[1]!["before"]);
        gone.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "champion");
    }

    [Theory]
    [InlineData("latest", "reserved")]
    [InlineData("LATEST", "reserved")]
    [InlineData("v1", "reserved")]
    [InlineData("V12", "reserved")]
    [InlineData("with space", "Invalid alias name")]
    [InlineData("", "cannot be empty")]
    public async Task Reserved_and_malformed_aliases_are_invalid_parameter_value(string alias, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");

        var response = await mlflow.PostAsync("registered-models/alias", new { name = "m", alias, version = "1" });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
        Assert.Null((await mlflow.GetModelAsync("m"))["aliases"]);
    }

    [Fact]
    public async Task An_alias_to_a_missing_version_is_resource_does_not_exist()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");

        var response = await mlflow.PostAsync("registered-models/alias", new { name = "m", alias = "champion", version = "3" });

        response.IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "version=3");
    }

    [Fact]
    public async Task Concurrent_moves_are_both_recorded_in_order_and_the_alias_ends_on_one_of_them()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        for (var i = 0; i < 3; i++)
        {
            await mlflow.CreateVersionAsync("m");
        }

        await mlflow.SetAliasAsync("m", "champion", 3);

        for (var round = 0; round < 5; round++)
        {
            await Task.WhenAll(mlflow.SetAliasAsync("m", "champion", 1), app.Mlflow().SetAliasAsync("m", "champion", 2));
        }

        var moves = (await mlflow.EventsAsync(("name", "m"), ("alias", "champion"))).Reverse().ToList();
        var final = (string)(await mlflow.GetAsync("registered-models/alias", ("name", "m"), ("alias", "champion"))).Ok()["model_version"]!["version"]!;

        Assert.Equal(11, moves.Count);
        for (var i = 1; i < moves.Count; i++)
        {
            // Each move saw the state the previous one left: no lost update.
            Assert.Equal((string)moves[i - 1]!["after"]!["version"]!, (string)moves[i]!["before"]!["version"]!);
        }

        Assert.Equal((string)moves[^1]!["after"]!["version"]!, final);
        Assert.Contains(final, new[] { "1", "2" });
    }
}
