using System.Data.Common;
using System.Threading.Channels;
using Npgsql;
using NpgsqlTypes;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Reads points out of <see cref="MetricSegment"/>s with one prepared statement in binary: the segments of the
/// blocks the step range covers, block by block. A block in one segment is already in get-history's order; a block
/// in several is sorted before its points are handed over. Offset and limit are applied while handing over.
/// </summary>
public sealed class PostgresMetricPointReader : IMetricPointReader
{
    public static readonly PostgresMetricPointReader Instance = new();

    private static readonly string SelectSegments = $"""
        SELECT block, steps, timestamps, values FROM metric_segments
        WHERE run_id = $1 AND key_id = $2 AND block >= ($3 >> {MetricSummary.BlockShift}) AND block <= ($4 >> {MetricSummary.BlockShift})
        ORDER BY block, seq
        """;

    public async Task ReadChunksAsync(DbConnection connection, PointRange range, ChannelWriter<(MetricHistory.Point[] Buffer, int Count)> chunks, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = new NpgsqlCommand(SelectSegments, (NpgsqlConnection)connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = range.RunId, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = range.KeyId, NpgsqlDbType = NpgsqlDbType.Integer });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.FromStep, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = range.ToStep, NpgsqlDbType = NpgsqlDbType.Bigint });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);

            var output = new BlockOutput(new PointChunks(chunks), range);
            while (!output.IsFull && await reader.ReadAsync(cancellationToken))
            {
                await output.AddAsync(reader.GetInt64(0), reader.GetFieldValue<long[]>(1), reader.GetFieldValue<long[]>(2), reader.GetFieldValue<double[]>(3), cancellationToken);
            }

            await output.CompleteAsync(cancellationToken);
        }
        catch (Exception e)
        {
            chunks.Complete(e);
        }
    }

    /// <summary>Gathers one block's segments, sorts them when needed, and hands over the points in range, past the offset, up to the limit.</summary>
    private sealed class BlockOutput(PointChunks points, PointRange range)
    {
        private readonly List<MetricHistory.Point> _block = [];
        private long _current = long.MinValue;
        private int _segments;
        private long _skip = range.Offset;
        private long _left = range.Limit;

        public bool IsFull => _left <= 0;

        public async ValueTask AddAsync(long block, long[] steps, long[] timestamps, double[] values, CancellationToken cancellationToken)
        {
            if (block != _current)
            {
                await FlushAsync(cancellationToken);
                _current = block;
            }

            _segments++;
            for (var i = 0; i < steps.Length; i++)
            {
                if (steps[i] >= range.FromStep && steps[i] <= range.ToStep)
                {
                    _block.Add(new MetricHistory.Point(steps[i], timestamps[i], values[i]));
                }
            }
        }

        public async ValueTask CompleteAsync(CancellationToken cancellationToken)
        {
            await FlushAsync(cancellationToken);
            await points.CompleteAsync(cancellationToken);
        }

        private async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_segments > 1)
            {
                _block.Sort(static (a, b) => HistoryOrder.Compare(a.Step, a.Timestamp, a.Value, b.Step, b.Timestamp, b.Value));
            }

            var start = (int)Math.Min(_skip, _block.Count);
            _skip -= start;
            for (var i = start; i < _block.Count && _left > 0; i++, _left--)
            {
                await points.AddAsync(_block[i], cancellationToken);
            }

            _block.Clear();
            _segments = 0;
        }
    }
}
