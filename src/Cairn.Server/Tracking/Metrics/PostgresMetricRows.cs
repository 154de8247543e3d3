using System.Runtime.InteropServices;
using Cairn.Server.Tracking.Runs;
using Npgsql;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// A write's metric rows on PostgreSQL: the points (and the logged models' copies) in one array insert that returns
/// the rows it really inserted, the latest value per key in one upsert, and the <see cref="MetricSummary"/> blocks
/// those inserted points touch in one more. A point sent again is skipped by the insert, so it is counted once.
/// </summary>
public sealed class PostgresMetricRows
{
    private const string InsertPoints = """
        INSERT INTO metrics (run_id, key_id, step, timestamp, value, is_nan)
        SELECT $1, k, s, t, v, n FROM unnest($2::integer[], $3::bigint[], $4::bigint[], $5::double precision[], $6::boolean[]) AS p(k, s, t, v, n)
        ON CONFLICT DO NOTHING
        RETURNING key_id, step, timestamp, value, is_nan
        """;

    private const string InsertModelPoints = """
        INSERT INTO logged_model_metrics (logged_model_id, key_id, timestamp, step, run_id, value, is_nan, dataset_name, dataset_digest)
        SELECT m, k, t, s, $1, v, n, dn, dd
        FROM unnest($2::integer[], $3::integer[], $4::bigint[], $5::bigint[], $6::double precision[], $7::boolean[], $8::text[], $9::text[]) AS p(m, k, t, s, v, n, dn, dd)
        ON CONFLICT DO NOTHING
        """;

    private const string UpsertLatest = """
        INSERT INTO latest_metrics AS l (run_id, key_id, step, timestamp, value, is_nan)
        SELECT $1, k, s, t, v, n FROM unnest($2::integer[], $3::bigint[], $4::bigint[], $5::double precision[], $6::boolean[]) AS p(k, s, t, v, n)
        ON CONFLICT (run_id, key_id) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
        WHERE (excluded.step, excluded.timestamp, excluded.value) > (l.step, l.timestamp, l.value)
        """;

    private static readonly string UpsertSummaries = $"""
        INSERT INTO metric_summaries AS s (run_id, key_id, block, count, nan_count,
            min_step, min_timestamp, min_value, max_step, max_timestamp, max_value,
            first_step, first_timestamp, first_value, last_step, last_timestamp, last_value)
        SELECT $1, u.* FROM unnest($2::integer[], $3::bigint[], $4::bigint[], $5::bigint[],
            $6::bigint[], $7::bigint[], $8::double precision[], $9::bigint[], $10::bigint[], $11::double precision[],
            $12::bigint[], $13::bigint[], $14::double precision[], $15::bigint[], $16::bigint[], $17::double precision[]) AS u
        ON CONFLICT (run_id, key_id, block) DO UPDATE SET
            count = s.count + excluded.count,
            nan_count = s.nan_count + excluded.nan_count,
            {Replace("min", "excluded.min_value < s.min_value OR (excluded.min_value = s.min_value AND (excluded.min_step, excluded.min_timestamp) < (s.min_step, s.min_timestamp))")},
            {Replace("max", "excluded.max_value > s.max_value OR (excluded.max_value = s.max_value AND (excluded.max_step, excluded.max_timestamp) < (s.max_step, s.max_timestamp))")},
            {Replace("first", "(excluded.first_step, excluded.first_timestamp, excluded.first_value) < (s.first_step, s.first_timestamp, s.first_value)")},
            {Replace("last", "(excluded.last_step, excluded.last_timestamp, excluded.last_value) > (s.last_step, s.last_timestamp, s.last_value)")}
        """;

    private readonly Dictionary<(int KeyId, long Block), PointSummary> _blocks = [];

    /// <summary>Adds the write's point inserts and latest-value upsert to <paramref name="batch"/>; true when it has points (then the insert returns rows).</summary>
    public bool AddPoints(NpgsqlBatch batch, RunWrite write, int[] keyIds, Dictionary<string, int> modelIds)
    {
        _blocks.Clear();
        var count = write.Metrics.Count;
        if (count == 0)
        {
            return false;
        }

        var (steps, timestamps, values, nans) = (new long[count], new long[count], new double[count], new bool[count]);
        var latest = new Dictionary<int, LatestPoint>();
        for (var i = 0; i < count; i++)
        {
            var metric = write.Metrics[i];
            var point = new LatestPoint(metric.Step ?? 0, metric.Timestamp!.Value, metric.Value!.Value);
            (steps[i], timestamps[i], nans[i]) = (point.Step, point.Timestamp, double.IsNaN(point.Value));
            values[i] = nans[i] ? 0.0 : point.Value;
            if (!latest.TryGetValue(keyIds[i], out var known) || point.IsAfter(known))
            {
                latest[keyIds[i]] = point;
            }
        }

        batch.BatchCommands.Add(PostgresRunDataStatements.Command(InsertPoints, write.RunId, keyIds, steps, timestamps, values, nans));
        AddModelPoints(batch, write, keyIds, modelIds, values, nans);
        var points = latest.Values.ToArray();
        batch.BatchCommands.Add(PostgresRunDataStatements.Command(UpsertLatest, write.RunId, latest.Keys.ToArray(),
            points.Select(p => p.Step).ToArray(), points.Select(p => p.Timestamp).ToArray(),
            points.Select(p => double.IsNaN(p.Value) ? 0.0 : p.Value).ToArray(), points.Select(p => double.IsNaN(p.Value)).ToArray()));
        return true;
    }

    /// <summary>Gathers the rows the point insert returned (the ones not already stored) into summary blocks.</summary>
    public async Task ReadInsertedAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var step = reader.GetInt64(1);
            var point = new SeriesPoint(step, reader.GetInt64(2), reader.GetBoolean(4) ? double.NaN : reader.GetDouble(3));
            ref var block = ref CollectionsMarshal.GetValueRefOrAddDefault(_blocks, (reader.GetInt32(0), step >> MetricSummary.BlockShift), out _);
            block.Add(point);
        }
    }

    /// <summary>A batch merging the gathered blocks into the run's summary rows (empty when no point was new).</summary>
    public NpgsqlBatch SummaryBatch(NpgsqlConnection connection, int runId)
    {
        var batch = new NpgsqlBatch(connection);
        if (_blocks.Count > 0)
        {
            var blocks = _blocks.ToArray();
            var summaries = blocks.Select(b => b.Value).ToArray();
            object[] parameters =
            [
                runId, blocks.Select(b => b.Key.KeyId).ToArray(), blocks.Select(b => b.Key.Block).ToArray(),
                summaries.Select(s => s.Count).ToArray(), summaries.Select(s => s.NanCount).ToArray(),
                .. Columns(summaries, s => s.Min), .. Columns(summaries, s => s.Max), .. Columns(summaries, s => s.First), .. Columns(summaries, s => s.Last),
            ];
            batch.BatchCommands.Add(PostgresRunDataStatements.Command(UpsertSummaries, parameters));
            _blocks.Clear();
        }

        return batch;
    }

    private static void AddModelPoints(NpgsqlBatch batch, RunWrite write, int[] keyIds, Dictionary<string, int> modelIds, double[] values, bool[] nans)
    {
        var rows = Enumerable.Range(0, write.Metrics.Count).Where(i => write.Metrics[i].ModelId is not null).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var metrics = write.Metrics;
        batch.BatchCommands.Add(PostgresRunDataStatements.Command(InsertModelPoints, write.RunId,
            rows.Select(i => modelIds[metrics[i].ModelId!]).ToArray(), rows.Select(i => keyIds[i]).ToArray(),
            rows.Select(i => metrics[i].Timestamp!.Value).ToArray(), rows.Select(i => metrics[i].Step ?? 0).ToArray(),
            rows.Select(i => values[i]).ToArray(), rows.Select(i => nans[i]).ToArray(),
            rows.Select(i => string.IsNullOrEmpty(metrics[i].DatasetName) ? null : metrics[i].DatasetName).ToArray(),
            rows.Select(i => string.IsNullOrEmpty(metrics[i].DatasetDigest) ? null : metrics[i].DatasetDigest).ToArray()));
    }

    /// <summary>The step, timestamp and value arrays of one of a block's points (null where the block holds only NaN).</summary>
    private static object[] Columns(PointSummary[] summaries, Func<PointSummary, SeriesPoint?> point) =>
    [
        summaries.Select(s => point(s)?.Step).ToArray(),
        summaries.Select(s => point(s)?.Timestamp).ToArray(),
        summaries.Select(s => point(s)?.Value).ToArray(),
    ];

    /// <summary>Takes the incoming point's step, timestamp and value when it has one and it wins by <paramref name="wins"/>.</summary>
    private static string Replace(string point, string wins) =>
        string.Join(", ", ((string[])["step", "timestamp", "value"]).Select(column =>
            $"{point}_{column} = CASE WHEN excluded.{point}_step IS NOT NULL AND (s.{point}_step IS NULL OR {wins}) THEN excluded.{point}_{column} ELSE s.{point}_{column} END"));
}
