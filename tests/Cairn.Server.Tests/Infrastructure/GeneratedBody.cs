namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A non-seekable request body made up as it is read (byte <c>i</c> is a hash of <c>i</c>), as a streamed upload
/// is; or one that breaks off part-way, as a dropped connection does.
/// </summary>
public sealed class GeneratedBody : Stream
{
    private readonly long _length;
    private readonly bool _breaksOff;
    private readonly Func<Task>? _beforeBreaking;
    private long _position;

    public GeneratedBody(long length) => _length = length;

    private GeneratedBody(long bytesBeforeBreaking, Func<Task>? beforeBreaking)
    {
        _length = bytesBeforeBreaking;
        _breaksOff = true;
        _beforeBreaking = beforeBreaking;
    }

    /// <summary>A body that throws after <paramref name="bytes"/> bytes, once <paramref name="beforeBreaking"/> (if any) has finished.</summary>
    public static GeneratedBody BreakingOffAfter(long bytes, Func<Task>? beforeBreaking = null) => new(bytes, beforeBreaking);

    /// <summary>Bytes <paramref name="from"/> to <paramref name="from"/> + <paramref name="count"/> of any generated body.</summary>
    public static byte[] Bytes(long from, int count)
    {
        var bytes = new byte[count];
        for (var i = 0; i < count; i++)
        {
            bytes[i] = At(from + i);
        }

        return bytes;
    }

    public override int Read(byte[] buffer, int offset, int count) => Fill(buffer.AsSpan(offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_breaksOff && _position >= _length && _beforeBreaking is not null)
        {
            await _beforeBreaking();
        }

        return Fill(buffer.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    private int Fill(Span<byte> buffer)
    {
        if (_breaksOff && _position >= _length)
        {
            throw new IOException("The connection dropped.");
        }

        var n = (int)Math.Min(buffer.Length, _length - _position);
        for (var i = 0; i < n; i++)
        {
            buffer[i] = At(_position + i);
        }

        _position += n;
        return n;
    }

    private static byte At(long i) => (byte)((i * 2654435761L) >> 13);
}
