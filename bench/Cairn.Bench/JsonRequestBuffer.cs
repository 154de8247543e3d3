using System.Buffers;
using System.Text.Json;

namespace Cairn.Bench;

/// <summary>
/// A reusable request-body buffer owned by one client (one request in flight at a time).
/// Writing into a grown-once buffer keeps the bench's own allocation and CPU cost low, which
/// matters because the bench shares the machine's cores with the server under test.
/// </summary>
public sealed class JsonRequestBuffer
{
    private readonly ArrayBufferWriter<byte> _buffer;
    private readonly Utf8JsonWriter _writer;

    public JsonRequestBuffer(int initialCapacity = 4096)
    {
        _buffer = new ArrayBufferWriter<byte>(initialCapacity);
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
    }

    /// <summary>Clears the buffer and returns the writer positioned at the start.</summary>
    public Utf8JsonWriter Start()
    {
        _buffer.ResetWrittenCount();
        _writer.Reset(_buffer);
        return _writer;
    }

    /// <summary>Flushes the writer and returns the body; valid until the next <see cref="Start"/>.</summary>
    public ReadOnlyMemory<byte> Finish()
    {
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    /// <summary>Builds a body with a callback (for non-hot-path calls).</summary>
    public ReadOnlyMemory<byte> Build(Action<Utf8JsonWriter> write)
    {
        var w = Start();
        write(w);
        return Finish();
    }
}
