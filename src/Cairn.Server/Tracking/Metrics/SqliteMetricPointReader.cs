using System.Data.Common;
using System.Threading.Channels;
using Cairn.Server.Data;
using Microsoft.Data.Sqlite;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>Reads points through SQLite's own API: half the cost of SqliteDataReader over 100,000 rows (30 ms against 60 ms here).</summary>
public sealed class SqliteMetricPointReader : IMetricPointReader
{
    public static readonly SqliteMetricPointReader Instance = new();

    public async Task ReadChunksAsync(DbConnection connection, PointRange range, ChannelWriter<(MetricHistory.Point[] Buffer, int Count)> chunks, CancellationToken cancellationToken)
    {
        try
        {
            using var statement = new SqliteStatement((SqliteConnection)connection, """
                SELECT step, timestamp, value, is_nan FROM metrics
                WHERE run_id = ?1 AND key_id = ?2 AND step >= ?3 AND step <= ?4
                ORDER BY step, timestamp, value LIMIT ?5 OFFSET ?6
                """);
            statement.Bind(1, range.RunId).Bind(2, range.KeyId).Bind(3, range.FromStep).Bind(4, range.ToStep).Bind(5, range.Limit).Bind(6, range.Offset);

            var points = new PointChunks(chunks);
            while (statement.Step())
            {
                await points.AddAsync(new MetricHistory.Point(statement.Int64(0), statement.Int64(1), statement.Int64(3) != 0 ? double.NaN : statement.Double(2)), cancellationToken);
            }

            await points.CompleteAsync(cancellationToken);
        }
        catch (Exception e)
        {
            chunks.Complete(e);
        }
    }
}
