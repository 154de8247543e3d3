using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Server.Artifacts.S3;

/// <summary>
/// A stored object as a read-only, seekable stream that fetches nothing until it is read. Reads continue an open
/// ranged <c>GetObject</c>: the first range after opening or seeking is 1 MiB (a preview, a short Range request,
/// a small file), the next one runs to the end of the object, so a whole download takes two requests and memory
/// stays at the HTTP client's buffers whatever the size. A seek elsewhere, or disposing, drops the open range.
/// Every request names the ETag seen when the file was opened, so a file replaced mid-download fails the
/// download instead of mixing two versions.
/// </summary>
public sealed class S3ObjectStream(IAmazonS3 s3, string bucket, string key, long length, string etag) : Stream
{
    private const long FirstWindow = 1024 * 1024;

    private long _position;
    private long _window = FirstWindow;
    private GetObjectResponse? _response;
    private long _rangeEnd;

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => false;
    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (buffer.Length == 0 || _position >= length)
        {
            return 0;
        }

        var body = _response?.ResponseStream ?? await OpenRangeAsync(cancellationToken);
        var read = await body.ReadAsync(buffer[..(int)Math.Min(buffer.Length, _rangeEnd - _position)], cancellationToken);
        if (read == 0)
        {
            throw new IOException($"S3 object '{key}' ended at byte {_position} of {length}.");
        }

        _position += read;
        if (_position == _rangeEnd)
        {
            CloseRange();
        }

        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) =>
        ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            CloseRange();
            _window = FirstWindow;
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseRange();
        }

        base.Dispose(disposing);
    }

    private async Task<Stream> OpenRangeAsync(CancellationToken cancellationToken)
    {
        _rangeEnd = Math.Min(length, _position + _window);
        _window = length;
        try
        {
            _response = await s3.GetObjectAsync(new GetObjectRequest
            {
                BucketName = bucket,
                Key = key,
                ByteRange = new ByteRange(_position, _rangeEnd - 1),
                EtagToMatch = etag,
            }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.PreconditionFailed or HttpStatusCode.NotFound)
        {
            throw new IOException($"S3 object '{key}' was replaced or deleted while being read.", e);
        }

        return _response.ResponseStream;
    }

    private void CloseRange()
    {
        _response?.Dispose();
        _response = null;
    }
}
