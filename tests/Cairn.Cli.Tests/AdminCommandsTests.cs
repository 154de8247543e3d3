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

        var (dryCode, dryOutput, dryError) = await cli.RunAsync("admin", "gc", "--dry-run", "--older-than", "0s");
        var (code, output, error) = await cli.RunAsync("admin", "gc", "--older-than", "0s");
        var (againCode, againOutput, _) = await cli.RunAsync("admin", "gc", "--older-than", "0s");

        Assert.True(dryCode == 0, dryError);
        Assert.Contains("would remove", dryOutput, StringComparison.Ordinal);
        Assert.Contains("would free 1 runs, 1 files, 2,048 bytes", dryOutput, StringComparison.Ordinal);
        Assert.True(code == 0, error);
        Assert.Contains("freed 1 runs, 1 files, 2,048 bytes", output, StringComparison.Ordinal);
        Assert.Equal(0, againCode);
        Assert.Contains("freed 0 runs", againOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gc_without_older_than_keeps_runs_deleted_in_the_last_30_days()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0", "deleted-by-mistake");
        await client.Runs.DeleteAsync(run.Id);
        var cli = new Cli(server.Address);

        var (code, output, error) = await cli.RunAsync("admin", "gc");
        var help = (await cli.RunAsync("admin", "gc", "--help")).Output;

        Assert.True(code == 0, error);
        Assert.Contains("freed 0 runs, 0 files, 0 bytes (runs deleted 30d or more ago)", output, StringComparison.Ordinal);
        Assert.True((await client.Runs.GetAsync(run.Id)).IsDeleted);
        await client.Runs.RestoreAsync(run.Id);
        Assert.Contains("Default: 30d", help, StringComparison.Ordinal);
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

    [Fact]
    public async Task Migrate_store_refuses_a_missing_source_file_as_a_usage_error_naming_from()
    {
        var missing = Path.Combine(Path.GetTempPath(), "cairn-cli-no-such-install", "cairn.db");

        var (code, output, error) = await new Cli(null).RunAsync("admin", "migrate-store", "--from", missing, "--to", "Host=127.0.0.1;Database=cairn");

        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.Equal($"error: --from: there is no SQLite database at '{missing}'.", error.Trim());
        Assert.False(File.Exists(missing));
    }

    [Fact]
    public async Task Migrate_store_to_an_unreachable_postgres_fails_with_exit_code_2_naming_to()
    {
        await using var server = new CairnServer();
        var sqlite = Path.Combine(server.DataPath, "cairn.db");

        var (code, _, error) = await new Cli(null).RunAsync("admin", "migrate-store", "--from", sqlite, "--to", "postgres://cairn@127.0.0.1:1/cairn");

        Assert.Equal(2, code);
        Assert.Contains("error: --to: PostgreSQL at 127.0.0.1:1/cairn failed", error, StringComparison.Ordinal);
    }
}
