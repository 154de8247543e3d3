namespace Cairn.Client.Tests;

public sealed class ArtifactsClientTests
{
    [Fact]
    public async Task Upload_and_download_stream_through_the_server_and_report_progress()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var experimentId = await client.Experiments.CreateAsync("sdk-artifacts");
        var run = await client.Runs.CreateAsync(experimentId, "files");
        var folder = Directory.CreateTempSubdirectory("cairn-sdk-artifacts-").FullName;
        try
        {
            var local = Path.Combine(folder, "data.bin");
            var bytes = new byte[5 * 1024 * 1024];
            Random.Shared.NextBytes(bytes);
            await File.WriteAllBytesAsync(local, bytes);
            var uploaded = new List<long>();
            var downloaded = new List<long>();

            var stored = await client.Artifacts.UploadAsync(run.Id, local, "inputs", new Recorder(uploaded));
            await client.Artifacts.DownloadAsync(run.Id, stored, Path.Combine(folder, "copy.bin"), new Recorder(downloaded));

            Assert.Equal("inputs/data.bin", stored);
            Assert.Equal(bytes, await File.ReadAllBytesAsync(Path.Combine(folder, "copy.bin")));
            Assert.Equal(bytes.Length, uploaded[^1]);
            Assert.Equal(bytes.Length, downloaded[^1]);
            Assert.True(uploaded.Count > 1 && downloaded.Count > 1, "progress arrives as the bytes move, not once at the end");
            var listing = await client.Artifacts.ListAsync(run.Id);
            Assert.Equal([new Artifacts.ArtifactFile("inputs", true, null)], listing);
            Assert.Equal(bytes.Length, await client.Artifacts.SizeAsync(run.Id, "inputs/data.bin"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("../outside")]
    [InlineData("inputs/./data")]
    [InlineData("inputs//data")]
    [InlineData("s3://bucket/key")]
    [InlineData("inputs\\..\\..")]
    public async Task Paths_with_dot_or_empty_segments_or_a_scheme_are_refused_before_anything_is_sent(string badPath)
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0", "contained");
        var local = Path.Combine(Directory.CreateTempSubdirectory("cairn-sdk-paths-").FullName, "escape.bin");
        await File.WriteAllBytesAsync(local, [1, 2, 3]);

        var upload = await Assert.ThrowsAsync<ArgumentException>(() => client.Artifacts.UploadAsync(run.Id, local, badPath));
        var download = await Assert.ThrowsAsync<ArgumentException>(() => client.Artifacts.DownloadAsync(run.Id, badPath, local + ".copy"));
        var list = await Assert.ThrowsAsync<ArgumentException>(() => client.Artifacts.ListAsync(run.Id, badPath));

        Assert.Contains($"'{badPath}'", upload.Message, StringComparison.Ordinal);
        Assert.Contains($"'{badPath}'", download.Message, StringComparison.Ordinal);
        Assert.Contains($"'{badPath}'", list.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(server.DataPath, "escape.bin", SearchOption.AllDirectories));
        Assert.Empty(await client.Artifacts.ListAsync(run.Id));
    }

    private sealed class Recorder(List<long> values) : IProgress<long>
    {
        public void Report(long value) => values.Add(value);
    }
}
