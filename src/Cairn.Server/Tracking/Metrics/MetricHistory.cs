using System.Buffers;
using System.Threading.Channels;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Reads a metric's points straight off the metrics table in primary-key order (run, key, step, timestamp):
/// the hot read path behind get-history and charts, kept out of EF's materialiser.
/// </summary>
public static class MetricHistory
{
    public readonly record struct Point(long Step, long Timestamp, double Value);

    public static async Task<int?> KeyIdAsync(CairnDb db, string key, CancellationToken cancellationToken) =>
        await db.MetricKeys.AsNoTracking().Where(k => k.Name == key).Select(k => (int?)k.Id).FirstOrDefaultAsync(cancellationToken);

    /// <summary>Points of one run and key with step in [<paramref name="fromStep"/>, <paramref name="toStep"/>], skipping <paramref name="offset"/>, at most <paramref name="limit"/>.</summary>
    public static async Task<List<Point>> ReadAsync(
        CairnDb db, int runId, int keyId, long fromStep, long toStep, int offset, int limit, CancellationToken cancellationToken)
    {
        var points = new List<Point>();
        await StreamAsync(db, runId, keyId, fromStep, toStep, offset, limit, chunk =>
        {
            points.AddRange(chunk.Span);
            return ValueTask.CompletedTask;
        }, cancellationToken);
        return points;
    }

    /// <summary>
    /// The same points, handed to <paramref name="consume"/> in chunks while later chunks are still being read:
    /// reading (the store's <see cref="IMetricPointReader"/>) and writing (JSON, the socket) run side by side on two threads.
    /// </summary>
    public static async Task StreamAsync(
        CairnDb db, int runId, int keyId, long fromStep, long toStep, int offset, int limit,
        Func<ReadOnlyMemory<Point>, ValueTask> consume, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = db.Database.GetDbConnection();
            var chunks = Channel.CreateBounded<(Point[] Buffer, int Count)>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var range = new PointRange(runId, keyId, fromStep, toStep, offset, limit);
            var reader = Task.Run(() => db.MetricPoints.ReadChunksAsync(connection, range, chunks.Writer, stop.Token), stop.Token);
            try
            {
                await foreach (var (buffer, count) in chunks.Reader.ReadAllAsync(cancellationToken))
                {
                    await consume(buffer.AsMemory(0, count));
                    ArrayPool<Point>.Shared.Return(buffer);
                }
            }
            finally
            {
                // If writing failed, the reader must not wait forever for room in the channel.
                await stop.CancelAsync();
                await reader.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
