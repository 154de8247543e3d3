using Cairn.Client.Runs;

namespace Cairn.Cli.Tests;

public sealed class RunCommandsTests
{
    [Fact]
    public async Task List_and_search_print_the_runs_the_server_has()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var experimentId = await client.Experiments.CreateAsync("cli");
        foreach (var (name, acc) in (IEnumerable<(string, double)>)[("low", 0.5), ("mid", 0.7), ("high", 0.9)])
        {
            var run = await client.Runs.CreateAsync(experimentId, name);
            await client.Runs.LogBatchAsync(run.Id, [new Metric("acc", acc, DateTimeOffset.UtcNow, 0)]);
        }

        var cli = new Cli(server.Address);
        var table = (await cli.RunAsync("runs", "list", "--experiment", experimentId)).Output;
        var found = await cli.JsonAsync("runs", "search", "--experiment", experimentId, "--filter", "metrics.acc > 0.6", "--order-by", "metrics.acc DESC");

        Assert.Contains("low", table, StringComparison.Ordinal);
        Assert.Contains("0.9", table, StringComparison.Ordinal);
        Assert.Equal(["high", "mid"], found.AsArray().Select(r => (string)r!["name"]!));
    }

    [Fact]
    public async Task A_bad_filter_is_reported_with_exit_code_2()
    {
        await using var server = new CairnServer();

        var (code, _, error) = await new Cli(server.Address).RunAsync("runs", "search", "--experiment", "0", "--filter", "metrics.acc >>> 1");

        Assert.Equal(2, code);
        Assert.Contains("INVALID_PARAMETER_VALUE", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_prints_params_metrics_and_tags()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0", "shown", new Dictionary<string, string> { ["team"] = "vision" });
        await client.Runs.LogBatchAsync(run.Id, [new Metric("loss", 0.125, DateTimeOffset.UtcNow, 7)], new Dictionary<string, string> { ["lr"] = "0.01" });

        var output = (await new Cli(server.Address).RunAsync("runs", "show", run.Id)).Output;

        Assert.Contains("param lr", output, StringComparison.Ordinal);
        Assert.Contains("0.125 (step 7)", output, StringComparison.Ordinal);
        Assert.Contains("tag team", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_marks_the_params_and_metrics_that_differ()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var a = await client.Runs.CreateAsync("0", "a");
        var b = await client.Runs.CreateAsync("0", "b");
        await client.Runs.LogBatchAsync(a.Id, [new Metric("acc", 0.9, DateTimeOffset.UtcNow, 0)], new Dictionary<string, string> { ["lr"] = "0.1", ["depth"] = "6" });
        await client.Runs.LogBatchAsync(b.Id, [new Metric("acc", 0.8, DateTimeOffset.UtcNow, 0)], new Dictionary<string, string> { ["lr"] = "0.1", ["depth"] = "8" });

        var comparison = await new Cli(server.Address).JsonAsync("runs", "compare", a.Id, b.Id);

        var rows = comparison["rows"]!.AsArray().ToDictionary(r => $"{r!["kind"]} {r["key"]}", r => (bool)r!["differs"]!);
        Assert.True(rows["param depth"]);
        Assert.False(rows["param lr"]);
        Assert.True(rows["metric acc"]);
    }

    [Fact]
    public async Task Compare_needs_two_runs()
    {
        var (code, _, _) = await new Cli(new Uri("http://127.0.0.1:9/")).RunAsync("runs", "compare", "only-one");

        Assert.Equal(1, code);
    }

    [Fact]
    public async Task Delete_deletes_the_run()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0");

        var (code, _, _) = await new Cli(server.Address).RunAsync("runs", "delete", run.Id);

        Assert.Equal(0, code);
        Assert.True((await client.Runs.GetAsync(run.Id)).IsDeleted);
    }

    [Theory]
    [InlineData("search")]
    [InlineData("list")]
    public async Task Runs_of_an_experiment_that_does_not_exist_exit_2(string verb)
    {
        await using var server = new CairnServer();

        var error = await new Cli(server.Address).FailsAsync(2, "runs", verb, "--experiment", "999");

        Assert.Contains("RESOURCE_DOES_NOT_EXIST", error, StringComparison.Ordinal);
        Assert.Contains("999", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_json_names_the_status_as_the_protocol_does_and_gives_the_runs_user()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var tagged = await client.Runs.CreateAsync("0", "tagged", new Dictionary<string, string> { ["mlflow.user"] = "ada" });
        await client.Runs.EndAsync(tagged.Id, RunStatus.Killed);
        using var http = new HttpClient { BaseAddress = server.Address };
        var created = await http.PostAsync("api/2.0/mlflow/runs/create", new StringContent(
            """{"experiment_id": "0", "user_id": "grace", "start_time": 1}""", System.Text.Encoding.UTF8, "application/json"));
        var withUserId = System.Text.Json.Nodes.JsonNode.Parse(await created.Content.ReadAsStringAsync())!["run"]!["info"]!["run_id"]!.ToString();
        var cli = new Cli(server.Address);

        var shownTagged = await cli.JsonAsync("runs", "show", tagged.Id);
        var shownWithUserId = await cli.JsonAsync("runs", "show", withUserId);
        var table = (await cli.RunAsync("runs", "show", withUserId)).Output;

        Assert.Equal("KILLED", (string?)shownTagged["status"]);
        Assert.Equal("ada", (string?)shownTagged["userId"]);
        Assert.Equal("RUNNING", (string?)shownWithUserId["status"]);
        Assert.Equal("grace", (string?)shownWithUserId["userId"]);
        Assert.Matches(@"user\s*│\s*grace", table);
    }

    [Fact]
    public async Task Restore_brings_a_deleted_run_back_and_refuses_one_that_is_not_deleted()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0");
        await client.Runs.DeleteAsync(run.Id);
        var cli = new Cli(server.Address);

        var (code, output, error) = await cli.RunAsync("runs", "restore", run.Id);
        var again = await cli.FailsAsync(2, "runs", "restore", run.Id);
        var unknown = await cli.FailsAsync(2, "runs", "restore", "0123456789abcdef0123456789abcdef");

        Assert.True(code == 0, error);
        Assert.Equal($"Restored run {run.Id}.", output.Trim());
        Assert.False((await client.Runs.GetAsync(run.Id)).IsDeleted);
        Assert.Contains("is not deleted", again, StringComparison.Ordinal);
        Assert.Contains("RESOURCE_DOES_NOT_EXIST", unknown, StringComparison.Ordinal);
    }
}
