namespace Cairn.Cli.Tests;

public sealed class AdminCommandsTests
{
    [Fact]
    public async Task Gc_reports_then_removes_deleted_runs_and_their_files()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var experimentId = await client.Experiments.CreateAsync("cli-gc");
        var run = await client.Runs.CreateAsync(experimentId, "discarded");
        var file = Path.Combine(Directory.CreateTempSubdirectory("cairn-cli-gc-").FullName, "weights.bin");
        await File.WriteAllBytesAsync(file, new byte[2048]);
        await client.Artifacts.UploadAsync(run.Id, file);

        await client.Runs.DeleteAsync(run.Id);
        var cli = new Cli(server.Address);

        var (dryCode, dryOutput, dryError) = await cli.RunAsync("admin", "gc", "--dry-run");
        var (code, output, error) = await cli.RunAsync("admin", "gc", "--older-than", "0s");
        var (againCode, againOutput, _) = await cli.RunAsync("admin", "gc");

        Assert.True(dryCode == 0, dryError);
        Assert.Contains("would remove", dryOutput, StringComparison.Ordinal);
        Assert.Contains("would free 1 runs, 1 files, 2,048 bytes", dryOutput, StringComparison.Ordinal);
        Assert.True(code == 0, error);
        Assert.Contains("freed 1 runs, 1 files, 2,048 bytes", output, StringComparison.Ordinal);
        Assert.Equal(0, againCode);
        Assert.Contains("freed 0 runs", againOutput, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("30x")]
    [InlineData("d30")]
    [InlineData("")]
    public async Task A_malformed_retention_is_a_usage_error_naming_the_option(string olderThan)
    {
        await using var server = new CairnServer();

        var (code, _, error) = await new Cli(server.Address).RunAsync("admin", "gc", "--older-than", olderThan);

        Assert.Equal(1, code);
        Assert.Contains("--older-than", error, StringComparison.Ordinal);
    }
}
