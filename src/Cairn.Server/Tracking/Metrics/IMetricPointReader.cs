using System.Data.Common;
using System.Threading.Channels;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>Which points of a series to read: one run and key, steps in [<see cref="FromStep"/>, <see cref="ToStep"/>], a page of them.</summary>
public readonly record struct PointRange(int RunId, int KeyId, long FromStep, long ToStep, int Offset, int Limit);

/// <summary>
/// The hot read path behind get-history and charts, one implementation per store: points in get-history's order
/// (step, timestamp, value), handed over in pooled chunks while later ones are still being read. Each store's
/// <see cref="Data.CairnDb"/> names its reader, so callers stay store-agnostic.
/// </summary>
public interface IMetricPointReader
{
    /// <summary>Writes the points of <paramref name="range"/> to <paramref name="chunks"/> (rented from <c>ArrayPool&lt;Point&gt;.Shared</c>) and completes it, with the error if reading failed.</summary>
    Task ReadChunksAsync(DbConnection connection, PointRange range, ChannelWriter<(MetricHistory.Point[] Buffer, int Count)> chunks, CancellationToken cancellationToken);
}
