using System.Runtime.InteropServices;
using Cairn.Server.Data;
using Microsoft.Data.Sqlite;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Keeps the <see cref="MetricSummary"/> rows up to date for the run-data writer: gathers the points one write really
/// inserted, per key and block, then merges each block into its row with one upsert. A write's thousand points
/// usually span a few blocks a key, so the summaries cost a handful of statements a write, not one a point.
/// </summary>
public sealed class MetricSummaryWriter(SqliteConnection connection) : IDisposable
{
    private static readonly string Upsert = $"""
        INSERT INTO metric_summaries (run_id, key_id, block, count, nan_count,
            min_step, min_timestamp, min_value, max_step, max_timestamp, max_value,
            first_step, first_timestamp, first_value, last_step, last_timestamp, last_value)
        VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
        ON CONFLICT (run_id, key_id, block) DO UPDATE SET
            count = count + excluded.count,
            nan_count = nan_count + excluded.nan_count,
            {Replace("min", "excluded.min_value < min_value OR (excluded.min_value = min_value AND (excluded.min_step, excluded.min_timestamp) < (min_step, min_timestamp))")},
            {Replace("max", "excluded.max_value > max_value OR (excluded.max_value = max_value AND (excluded.max_step, excluded.max_timestamp) < (max_step, max_timestamp))")},
            {Replace("first", "(excluded.first_step, excluded.first_timestamp, excluded.first_value) < (first_step, first_timestamp, first_value)")},
            {Replace("last", "(excluded.last_step, excluded.last_timestamp, excluded.last_value) > (last_step, last_timestamp, last_value)")}
        """;

    private readonly Dictionary<(int KeyId, long Block), PointSummary> _blocks = [];
    private readonly SqliteStatement _upsert = new(connection, Upsert);

    /// <summary>Forgets what an unfinished write gathered.</summary>
    public void Clear() => _blocks.Clear();

    /// <summary>Counts a point the write inserted (not one the table already held).</summary>
    public void Add(int keyId, long step, long timestamp, double value)
    {
        ref var block = ref CollectionsMarshal.GetValueRefOrAddDefault(_blocks, (keyId, step >> MetricSummary.BlockShift), out _);
        block.Add(new SeriesPoint(step, timestamp, value));
    }

    /// <summary>Merges what was gathered into the run's summary rows, inside the write's savepoint.</summary>
    public void Write(int runId)
    {
        foreach (var ((keyId, block), summary) in _blocks)
        {
            _upsert.Bind(1, runId).Bind(2, keyId).Bind(3, block).Bind(4, summary.Count).Bind(5, summary.NanCount);
            Bind(6, summary.Min);
            Bind(9, summary.Max);
            Bind(12, summary.First);
            Bind(15, summary.Last);
            _upsert.Execute();
        }

        _blocks.Clear();
    }

    public void Dispose() => _upsert.Dispose();

    private void Bind(int index, SeriesPoint? point)
    {
        if (point is { } p)
        {
            _upsert.Bind(index, p.Step).Bind(index + 1, p.Timestamp).Bind(index + 2, p.Value);
        }
        else
        {
            _upsert.BindNull(index).BindNull(index + 1).BindNull(index + 2);
        }
    }

    /// <summary>Takes the incoming point's step, timestamp and value when it has one and it wins by <paramref name="wins"/>.</summary>
    private static string Replace(string point, string wins) =>
        string.Join(", ", ((string[])["step", "timestamp", "value"]).Select(column =>
            $"{point}_{column} = CASE WHEN excluded.{point}_step IS NOT NULL AND ({point}_step IS NULL OR {wins}) THEN excluded.{point}_{column} ELSE {point}_{column} END"));
}
