namespace Cairn.Cli.Tests;

public sealed class ModelCommandsTests
{
    [Fact]
    public async Task List_show_and_versions_print_what_the_registry_holds()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 2);
        await server.ModelWithVersionsAsync("other", 1);
        await client.Models.SetTagAsync("churn", "team", "growth");
        await client.Models.SetAliasAsync("churn", "champion", 1);
        await client.Models.TransitionStageAsync("churn", 1, "Production");
        var cli = new Cli(server.Address);

        var list = (await cli.RunAsync("models", "list")).Output;
        var filtered = await cli.JsonAsync("models", "list", "--filter", "tags.team = 'growth'");
        var show = (await cli.RunAsync("models", "show", "churn")).Output;
        var versions = (await cli.RunAsync("models", "versions", "churn")).Output;
        var versionsJson = await cli.JsonAsync("models", "versions", "churn");

        Assert.Matches(@"churn\s*│\s*v2\s*│\s*champion→v1", list);
        Assert.Contains("other", list, StringComparison.Ordinal);
        Assert.Equal(["churn"], filtered.AsArray().Select(m => (string)m!["name"]!));
        Assert.Matches(@"alias champion\s*│\s*v1", show);
        Assert.Matches(@"latest Production\s*│\s*v1 s3://bucket/churn/1", show);
        Assert.Matches(@"latest None\s*│\s*v2", show);
        Assert.Matches(@"tag team\s*│\s*growth", show);
        Assert.Matches(@"v1\s*│\s*Production\s*│\s*champion", versions);
        Assert.Equal([2, 1], versionsJson.AsArray().Select(v => (int)v!["version"]!));
    }

    [Fact]
    public async Task Rollback_moves_an_alias_back_and_history_shows_every_move()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 2);
        var cli = new Cli(server.Address);

        var set1 = await cli.RunAsync("models", "alias", "set", "churn", "champion", "1");
        var set2 = await cli.RunAsync("models", "alias", "set", "churn", "champion", "2");
        var (code, output, error) = await cli.RunAsync("models", "rollback", "churn", "champion");
        var resolved = await client.Models.ResolveAliasAsync("churn", "champion");
        var history = (await cli.RunAsync("models", "history", "churn")).Output;
        var historyJson = await cli.JsonAsync("models", "history", "churn", "--max", "2");

        Assert.Equal((0, "champion now points at v1"), (set1.ExitCode, set1.Output.Trim()));
        Assert.Equal(0, set2.ExitCode);
        Assert.True(code == 0, error);
        Assert.Equal("moved champion from v2 back to v1", output.Trim());
        Assert.Equal(1, resolved.Version);
        Assert.Matches(@"anonymous\s*│\s*model_version_alias\.created\s*│\s*champion\s*│\s*v2 → v1", history);
        Assert.Matches(@"model_version_alias\.created\s*│\s*champion\s*│\s*v1 → v2", history);
        Assert.Matches(@"model_version_alias\.created\s*│\s*champion\s*│\s*- → v1", history);
        Assert.Matches(@"model_version\.created\s*│\s*v2\s*│\s*- → v2", history);
        Assert.Matches(@"registered_model\.created\s*│\s*│\s*- → churn", history);
        Assert.Equal(2, historyJson.AsArray().Count);
        Assert.Equal("2", (string)historyJson[0]!["before"]!["version"]!);
    }

    [Fact]
    public async Task Rollback_with_nothing_before_exits_2_and_says_why()
    {
        await using var server = new CairnServer();
        await server.ModelWithVersionsAsync("churn", 1);
        var cli = new Cli(server.Address);
        await cli.RunAsync("models", "alias", "set", "churn", "champion", "1");

        var (code, output, error) = await cli.RunAsync("models", "rollback", "churn", "champion");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("no earlier version to roll back to", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stage_moves_a_version_and_archive_existing_retires_the_one_before()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 2);
        var cli = new Cli(server.Address);

        var first = await cli.RunAsync("models", "stage", "churn", "1", "production");
        var second = await cli.JsonAsync("models", "stage", "churn", "2", "Production", "--archive-existing");

        Assert.Equal((0, "churn v1 is now in Production"), (first.ExitCode, first.Output.Trim()));
        Assert.Equal("Production", (string)second["stage"]!);
        Assert.Equal("Archived", (await client.Models.GetVersionAsync("churn", 1)).Stage);
    }

    [Fact]
    public async Task A_bad_stage_exits_2_with_the_servers_message_on_stderr()
    {
        await using var server = new CairnServer();
        await server.ModelWithVersionsAsync("churn", 1);

        var (code, output, error) = await new Cli(server.Address).RunAsync("models", "stage", "churn", "1", "Prod");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("INVALID_PARAMETER_VALUE: Invalid Model Version stage: Prod. Value must be one of None, Staging, Production, Archived.", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Alias_delete_removes_the_alias_and_a_version_that_is_not_a_number_is_a_usage_error()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 1);
        await client.Models.SetAliasAsync("churn", "champion", 1);
        var cli = new Cli(server.Address);

        var deleted = await cli.RunAsync("models", "alias", "delete", "churn", "champion");
        var (badCode, _, badError) = await cli.RunAsync("models", "alias", "set", "churn", "champion", "latest");

        Assert.Equal((0, "Deleted alias champion."), (deleted.ExitCode, deleted.Output.Trim()));
        Assert.Empty((await client.Models.GetAsync("churn")).Aliases);
        Assert.Equal(1, badCode);
        Assert.Contains("latest", badError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Versions_of_a_model_that_does_not_exist_exits_2()
    {
        await using var server = new CairnServer();

        var (code, _, error) = await new Cli(server.Address).RunAsync("models", "versions", "nothing");

        Assert.Equal(2, code);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_of_a_model_that_never_existed_exits_2()
    {
        await using var server = new CairnServer();
        await server.ModelWithVersionsAsync("churn", 1);

        var error = await new Cli(server.Address).FailsAsync(2, "models", "history", "nope");

        Assert.Contains("RESOURCE_DOES_NOT_EXIST", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_alias_the_model_does_not_have_exits_2_and_keeps_the_others()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 1);
        await client.Models.SetAliasAsync("churn", "champion", 1);

        var error = await new Cli(server.Address).FailsAsync(2, "models", "alias", "delete", "churn", "nope");

        Assert.Contains("nope", error, StringComparison.Ordinal);
        Assert.Equal(1, (await client.Models.ResolveAliasAsync("churn", "champion")).Version);
    }
}
