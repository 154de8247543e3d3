using System.Data.Common;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Reads points with one prepared statement in binary: Npgsql's reader costs little per row, and the primary key
/// (run, key, step, timestamp, value, is_nan) hands them over in order without a sort.
/// </summary>
public sealed class PostgresMetricPointReader : IMetricPointReader
{
    public static readonly PostgresMetricPointReader Instance = new();

    public async Task ReadChunksAsync(DbConnection connection, PointRange range, ChannelWriter<(MetricHistory.Point[] Buffer, int Count)> chunks, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(
                """
                SELECT step, timestamp, value, is_nan FROM metrics
                WHERE run_id = $1 AND key_id = $2 AND step >= $3 AND step <= $4
                ORDER BY step, timestamp, value, is_nan LIMIT $5 OFFSET $6
                """,
                (NpgsqlConnection)connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = range.RunId, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = range.KeyId, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.FromStep, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.ToStep, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.Limit, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.Offset, NpgsqlDbType = NpgsqlDbType.Bigint });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);

            var points = new PointChunks(chunks);
            while (await reader.ReadAsync(cancellationToken))
            {
                await points.AddAsync(new MetricHistory.Point(reader.GetInt64(0), reader.GetInt64(1), reader.GetBoolean(3) ? double.NaN : reader.GetDouble(2)), cancellationToken);
            }

            await points.CompleteAsync(cancellationToken);
        }
        catch (Exception e)
        {
            chunks.Complete(e);
        }
    }
}
