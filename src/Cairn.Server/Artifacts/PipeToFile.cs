using System.IO.Pipelines;
using Microsoft.Win32.SafeHandles;

namespace Cairn.Server.Artifacts;

/// <summary>
/// Writes a pipe to a file straight from the pipe's own buffers: one gathering write per read, so each byte is copied
/// once, from the receive buffer into the file. A stream copy would pass it through two more buffers on the way.
/// </summary>
public static class PipeToFile
{
    /// <summary>Copies all of <paramref name="content"/> to the start of <paramref name="file"/>; returns the bytes written.</summary>
    public static async Task<long> CopyAsync(PipeReader content, SafeFileHandle file, CancellationToken cancellationToken)
    {
        var segments = new List<ReadOnlyMemory<byte>>();
        long offset = 0;
        while (true)
        {
            var read = await content.ReadAsync(cancellationToken);
            var buffer = read.Buffer;
            if (buffer.IsSingleSegment)
            {
                RandomAccess.Write(file, buffer.FirstSpan, offset);
            }
            else
            {
                segments.Clear();
                foreach (var segment in buffer)
                {
                    segments.Add(segment);
                }

                RandomAccess.Write(file, segments, offset);
            }

            offset += buffer.Length;
            content.AdvanceTo(buffer.End);
            if (read.IsCompleted)
            {
                return offset;
            }
        }
    }
}
