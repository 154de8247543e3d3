using System.Buffers;
using System.Threading.Channels;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>Hands points read by an <see cref="IMetricPointReader"/> to its channel in pooled chunks of 4,096.</summary>
public sealed class PointChunks(ChannelWriter<(MetricHistory.Point[] Buffer, int Count)> chunks)
{
    private const int ChunkSize = 4096;
    private MetricHistory.Point[] _buffer = ArrayPool<MetricHistory.Point>.Shared.Rent(ChunkSize);
    private int _count;

    /// <summary>Adds a point; when a chunk is full, waits until the channel takes it.</summary>
    public ValueTask AddAsync(MetricHistory.Point point, CancellationToken cancellationToken)
    {
        _buffer[_count++] = point;
        return _count == ChunkSize ? HandOverAsync(cancellationToken) : ValueTask.CompletedTask;
    }

    /// <summary>Hands over the last (possibly empty) chunk and completes the channel.</summary>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        await chunks.WriteAsync((_buffer, _count), cancellationToken);
        chunks.Complete();
    }

    private async ValueTask HandOverAsync(CancellationToken cancellationToken)
    {
        await chunks.WriteAsync((_buffer, _count), cancellationToken);
        _buffer = ArrayPool<MetricHistory.Point>.Shared.Rent(ChunkSize);
        _count = 0;
    }
}
