namespace Cairn.Cli.Tests;

public sealed class ExperimentCommandsTests
{
    [Fact]
    public async Task Create_list_delete_and_restore_an_experiment()
    {
        await using var server = new CairnServer();
        var cli = new Cli(server.Address);

        var (created, idText, _) = await cli.RunAsync("experiments", "create", "churn", "--tag", "team=growth");
        var id = idText.Trim();
        var table = (await cli.RunAsync("experiments", "list")).Output;
        await cli.RunAsync("experiments", "delete", id);
        var afterDelete = await cli.JsonAsync("experiments", "list");
        var deleted = await cli.JsonAsync("experiments", "list", "--deleted");
        await cli.RunAsync("experiments", "restore", id);
        var restored = await server.Client().Experiments.GetAsync(id);

        Assert.Equal(0, created);
        Assert.Contains("churn", table, StringComparison.Ordinal);
        Assert.DoesNotContain(afterDelete.AsArray(), e => (string)e!["name"]! == "churn");
        Assert.Equal("churn", (string)deleted[0]!["name"]!);
        Assert.False(restored.IsDeleted);
        Assert.Equal("growth", restored.Tags["team"]);
    }

    [Fact]
    public async Task A_server_error_goes_to_stderr_with_exit_code_2()
    {
        await using var server = new CairnServer();
        var cli = new Cli(server.Address);
        await cli.RunAsync("experiments", "create", "twice");

        var (code, output, error) = await cli.RunAsync("experiments", "create", "twice");

        Assert.Equal(2, code);
        Assert.Equal("", output);
        Assert.Contains("RESOURCE_ALREADY_EXISTS", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_usage_error_exits_with_1()
    {
        var cli = new Cli(new Uri("http://127.0.0.1:9/"));

        var (missing, _, missingError) = await cli.RunAsync("experiments", "delete");
        var (badTag, _, badTagError) = await cli.RunAsync("experiments", "create", "x", "--tag", "no-equals-sign");

        Assert.Equal(1, missing);
        Assert.NotEmpty(missingError);
        Assert.Equal(1, badTag);
        Assert.Contains("key=value", badTagError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unreachable_server_exits_with_2()
    {
        var (code, _, error) = await new Cli(new Uri("http://127.0.0.1:9/")).RunAsync("experiments", "list");

        Assert.Equal(2, code);
        Assert.Contains("could not be reached", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restoring_an_experiment_that_is_not_deleted_exits_2()
    {
        await using var server = new CairnServer();
        var id = await server.Client().Experiments.CreateAsync("active");

        var error = await new Cli(server.Address).FailsAsync(2, "experiments", "restore", id);

        Assert.Contains($"Experiment {id} is not deleted", error, StringComparison.Ordinal);
        Assert.False((await server.Client().Experiments.GetAsync(id)).IsDeleted);
    }
}
