using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Text.Json;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Writes the <c>"metrics": [{"key", "value", "timestamp", "step"[, "run_id"]}, ...]</c> member straight into the
/// response pipe, flushing every 64 KiB so the client reads while the rest is produced. Property names and
/// the key are encoded once; only the numbers are formatted per point (NaN and infinities as MLflow's strings).
/// </summary>
public sealed class MetricPointWriter(PipeWriter output, string key)
{
    private const int FlushEvery = 64 * 1024;
    private readonly byte[] _prefix = Prefix(key);
    private long _unflushed;
    private int _count;

    public int Count => _count;

    /// <summary>Writes a chunk of points, then flushes if 64 KiB or more are waiting.</summary>
    public async ValueTask WriteAsync(ReadOnlyMemory<MetricHistory.Point> points, string? runId, CancellationToken cancellationToken)
    {
        for (var i = 0; i < points.Length; i++)
        {
            Write(points.Span[i], runId);
        }

        if (_unflushed > FlushEvery)
        {
            _unflushed = 0;
            await output.FlushAsync(cancellationToken);
        }
    }

    private void Write(MetricHistory.Point point, string? runId)
    {
        var span = output.GetSpan(_prefix.Length + 160 + (runId?.Length ?? 0) * 6);
        var at = Text(span, _count++ == 0 ? "\"metrics\":["u8 : ","u8);
        _prefix.CopyTo(span[at..]);
        at += _prefix.Length;
        at += Value(span[at..], point.Value);
        at += Text(span[at..], ",\"timestamp\":"u8);
        Utf8Formatter.TryFormat(point.Timestamp, span[at..], out var written);
        at += written;
        at += Text(span[at..], ",\"step\":"u8);
        Utf8Formatter.TryFormat(point.Step, span[at..], out written);
        at += written;
        if (runId is not null)
        {
            at += Text(span[at..], ",\"run_id\":\""u8);
            at += Text(span[at..], JsonEncodedText.Encode(runId).EncodedUtf8Bytes);
            span[at++] = (byte)'"';
        }

        span[at++] = (byte)'}';
        output.Advance(at);
        _unflushed += at;
    }

    /// <summary>Closes the array (if any point was written) for the caller to finish the object.</summary>
    public void EndArray()
    {
        if (_count > 0)
        {
            output.Write("]"u8);
        }
    }

    private static int Value(Span<byte> span, double value)
    {
        if (double.IsFinite(value))
        {
            Utf8Formatter.TryFormat(value, span, out var written);
            return written;
        }

        return Text(span, double.IsNaN(value) ? "\"NaN\""u8 : value > 0 ? "\"Infinity\""u8 : "\"-Infinity\""u8);
    }

    private static int Text(Span<byte> span, ReadOnlySpan<byte> text)
    {
        text.CopyTo(span);
        return text.Length;
    }

    private static byte[] Prefix(string key)
    {
        var encoded = JsonEncodedText.Encode(key, System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping).EncodedUtf8Bytes;
        return [.. "{\"key\":\""u8, .. encoded, .. "\",\"value\":"u8];
    }
}
