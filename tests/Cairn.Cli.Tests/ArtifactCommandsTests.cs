namespace Cairn.Cli.Tests;

public sealed class ArtifactCommandsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cairn-cli-artifacts-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Put_ls_and_get_round_trip_a_file_and_report_the_transfer_on_stderr()
    {
        await using var server = new CairnServer();
        var experimentId = await server.Client().Experiments.CreateAsync("cli-artifacts");
        var run = await server.Client().Runs.CreateAsync(experimentId, "with-files");
        var cli = new Cli(server.Address);
        var local = Path.Combine(_folder, "weights.bin");
        var bytes = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(bytes);
        await File.WriteAllBytesAsync(local, bytes);

        var (putCode, putOutput, putError) = await cli.RunAsync("artifacts", "put", run.Id, local, "--path", "model");
        Assert.True(putCode == 0, putError);
        Assert.Equal("model/weights.bin", putOutput.Trim());
        Assert.Matches(@"^put weights\.bin: 3,145,745 bytes in [0-9.]+ s \([0-9.]+ MiB/s\)", putError);

        var listing = await cli.JsonAsync("artifacts", "ls", run.Id, "model");
        Assert.Equal("model/weights.bin", (string?)listing[0]!["path"]);
        Assert.Equal(bytes.Length, (long)listing[0]!["size"]!);

        var target = Path.Combine(_folder, "copy.bin");
        var (getCode, getOutput, getError) = await cli.RunAsync("artifacts", "get", run.Id, "model/weights.bin", "--out", target);
        Assert.True(getCode == 0, getError);
        Assert.Equal(target, getOutput.Trim());
        Assert.Equal(bytes, await File.ReadAllBytesAsync(target));
        Assert.Contains("get copy.bin: 3,145,745 bytes", getError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_artifact_exits_with_2_and_leaves_no_file()
    {
        await using var server = new CairnServer();
        var experimentId = await server.Client().Experiments.CreateAsync("cli-artifacts-missing");
        var run = await server.Client().Runs.CreateAsync(experimentId, "empty");
        var target = Path.Combine(_folder, "nothing.bin");

        var (code, _, error) = await new Cli(server.Address).RunAsync("artifacts", "get", run.Id, "nothing.bin", "--out", target);

        Assert.Equal(2, code);
        Assert.Contains("No artifact", error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_folder));
    }

    [Fact]
    public async Task Putting_a_file_that_does_not_exist_is_a_usage_error()
    {
        await using var server = new CairnServer();
        var (code, _, error) = await new Cli(server.Address).RunAsync("artifacts", "put", "0123456789abcdef0123456789abcdef", Path.Combine(_folder, "absent.bin"));
        Assert.Equal(1, code);
        Assert.Contains("absent.bin", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("model/../../..")]
    [InlineData("a//b")]
    [InlineData("file:///etc")]
    public async Task Put_refuses_a_path_that_leaves_the_run_or_names_no_folder_and_writes_nothing(string badPath)
    {
        await using var server = new CairnServer();
        var run = await server.Client().Runs.CreateAsync("0", "contained");
        var local = Path.Combine(_folder, "escape.txt");
        await File.WriteAllTextAsync(local, "outside?");
        var cli = new Cli(server.Address);

        var error = await cli.FailsAsync(1, "artifacts", "put", run.Id, local, "--path", badPath);
        var getError = await cli.FailsAsync(1, "artifacts", "get", run.Id, badPath + "/escape.txt", "-o", Path.Combine(_folder, "back.txt"));

        Assert.Contains($"'{badPath}'", error, StringComparison.Ordinal);
        Assert.Contains($"'{badPath}/escape.txt'", getError, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(server.DataPath, "escape.txt", SearchOption.AllDirectories));
    }
}
