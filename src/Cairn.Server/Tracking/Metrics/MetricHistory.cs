using System.Buffers;
using System.Threading.Channels;
using Cairn.Server.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Reads a metric's points straight off the metrics table in primary-key order (run, key, step, timestamp):
/// the hot read path behind get-history and charts, kept out of EF's materialiser.
/// </summary>
public static class MetricHistory
{
    private const int ChunkSize = 4096;

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
    /// reading (SQLite) and writing (JSON, the socket) run side by side on two threads.
    /// </summary>
    public static async Task StreamAsync(
        CairnDb db, int runId, int keyId, long fromStep, long toStep, int offset, int limit,
        Func<ReadOnlyMemory<Point>, ValueTask> consume, CancellationToken cancellationToken)
    {
        await db.Database.OpenConnectionAsync(cancellationToken);
        try
        {
            var connection = (SqliteConnection)db.Database.GetDbConnection();
            var chunks = Channel.CreateBounded<(Point[] Buffer, int Count)>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var reader = Task.Run(() => ReadChunksAsync(connection, [runId, keyId, fromStep, toStep, limit, offset], chunks.Writer, stop.Token), stop.Token);
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

    private static async Task ReadChunksAsync(SqliteConnection connection, long[] arguments, ChannelWriter<(Point[], int)> chunks, CancellationToken cancellationToken)
    {
        try
        {
            // SQLite's own API: half the cost of SqliteDataReader over 100,000 rows (30 ms against 60 ms here).
            using var statement = new SqliteStatement(connection, """
                SELECT step, timestamp, value, is_nan FROM metrics
                WHERE run_id = ?1 AND key_id = ?2 AND step >= ?3 AND step <= ?4
                ORDER BY step, timestamp, value LIMIT ?5 OFFSET ?6
                """);
            for (var i = 0; i < arguments.Length; i++)
            {
                statement.Bind(i + 1, arguments[i]);
            }

            var buffer = ArrayPool<Point>.Shared.Rent(ChunkSize);
            var count = 0;
            while (statement.Step())
            {
                buffer[count++] = new Point(statement.Int64(0), statement.Int64(1), statement.Int64(3) != 0 ? double.NaN : statement.Double(2));
                if (count == ChunkSize)
                {
                    await chunks.WriteAsync((buffer, count), cancellationToken);
                    buffer = ArrayPool<Point>.Shared.Rent(ChunkSize);
                    count = 0;
                }
            }

            await chunks.WriteAsync((buffer, count), cancellationToken);
            chunks.Complete();
        }
        catch (Exception e)
        {
            chunks.Complete(e);
        }
    }
}
