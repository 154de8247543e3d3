using System.IO.Pipelines;
using Cairn.Server.Artifacts;

namespace Cairn.Server.Tests.Artifacts;

/// <summary>The copies between request or response pipes and files that the local store's transfers use.</summary>
public sealed class PipeFileCopyTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cairn-pipe-copy-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task A_pipe_written_in_uneven_pieces_lands_in_the_file_byte_for_byte()
    {
        var data = new byte[3 * 1024 * 1024 + 17];
        Random.Shared.NextBytes(data);
        var pipe = new Pipe(new PipeOptions(minimumSegmentSize: 4096, pauseWriterThreshold: 1 << 20, resumeWriterThreshold: 1 << 19));
        var writing = Task.Run(async () =>
        {
            for (var at = 0; at < data.Length;)
            {
                var piece = Math.Min(Random.Shared.Next(1, 100_000), data.Length - at);
                await pipe.Writer.WriteAsync(data.AsMemory(at, piece));
                at += piece;
            }

            await pipe.Writer.CompleteAsync();
        });

        var path = Path.Combine(_folder, "upload.bin");
        long written;
        using (var file = File.OpenHandle(path, FileMode.CreateNew, FileAccess.Write))
        {
            written = await PipeToFile.CopyAsync(pipe.Reader, file, CancellationToken.None);
        }

        await writing;
        Assert.Equal(data.Length, written);
        Assert.Equal(data, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task A_failing_sender_fails_the_copy()
    {
        var pipe = new Pipe();
        await pipe.Writer.WriteAsync(new byte[1000]);
        await pipe.Writer.CompleteAsync(new IOException("connection reset"));

        using var file = File.OpenHandle(Path.Combine(_folder, "cut.bin"), FileMode.CreateNew, FileAccess.Write);
        var error = await Assert.ThrowsAsync<IOException>(() => PipeToFile.CopyAsync(pipe.Reader, file, CancellationToken.None));
        Assert.Equal("connection reset", error.Message);
    }

    [Fact]
    public async Task A_slice_of_a_file_reaches_the_pipe_byte_for_byte()
    {
        var data = new byte[1024 * 1024 + 7];
        Random.Shared.NextBytes(data);
        var path = Path.Combine(_folder, "download.bin");
        await File.WriteAllBytesAsync(path, data);
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 200_000, resumeWriterThreshold: 100_000));
        var reading = ReadAllAsync(pipe.Reader);

        using (var file = File.OpenHandle(path))
        {
            await FileToPipe.CopyAsync(file, 10, data.Length - 20, pipe.Writer, CancellationToken.None);
        }

        await pipe.Writer.CompleteAsync();
        Assert.Equal(data[10..^10], await reading);
    }

    [Fact]
    public async Task A_file_shorter_than_promised_is_an_error_not_a_short_body()
    {
        var path = Path.Combine(_folder, "short.bin");
        await File.WriteAllBytesAsync(path, new byte[5000]);
        var pipe = new Pipe();
        var reading = ReadAllAsync(pipe.Reader);

        using var file = File.OpenHandle(path);
        var error = await Assert.ThrowsAsync<IOException>(() => FileToPipe.CopyAsync(file, 0, 6000, pipe.Writer, CancellationToken.None));
        Assert.Contains("1000 bytes early", error.Message, StringComparison.Ordinal);
        await pipe.Writer.CompleteAsync();
        await reading;
    }

    private static async Task<byte[]> ReadAllAsync(PipeReader reader)
    {
        using var all = new MemoryStream();
        await reader.CopyToAsync(all);
        return all.ToArray();
    }
}
