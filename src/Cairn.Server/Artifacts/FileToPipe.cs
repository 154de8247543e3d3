using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Server.Artifacts;

/// <summary>
/// Reads a file straight into a pipe's own buffers, so each byte is copied once on its way from the file to the
/// socket's send buffer. A stream copy would pass it through a file buffer and a copy buffer as well.
/// </summary>
public static class FileToPipe
{
    private const int ChunkSize = 64 * 1024;
    private const int FlushSize = 256 * 1024;

    /// <summary>Writes <paramref name="count"/> bytes of <paramref name="file"/> from <paramref name="offset"/> to <paramref name="body"/>.</summary>
    public static async Task CopyAsync(SafeFileHandle file, long offset, long count, PipeWriter body, CancellationToken cancellationToken)
    {
        while (count > 0)
        {
            for (var unflushed = 0; unflushed < FlushSize && count > 0;)
            {
                var memory = body.GetMemory(ChunkSize);
                var read = RandomAccess.Read(file, memory.Span[..(int)Math.Min(memory.Length, count)], offset);
                if (read == 0)
                {
                    throw new IOException($"The file ended {count} bytes early; it was shortened while being sent.");
                }

                body.Advance(read);
                offset += read;
                count -= read;
                unflushed += read;
            }

            var flushed = await body.FlushAsync(cancellationToken);
            if (flushed.IsCanceled || flushed.IsCompleted)
            {
                return;
            }
        }
    }
}
