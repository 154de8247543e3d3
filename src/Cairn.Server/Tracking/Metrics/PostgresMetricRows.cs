using System.Runtime.InteropServices;
using Cairn.Server.Tracking.Runs;
using Npgsql;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// The rows a write's new points bring besides their segments (<see cref="PostgresMetricSegments"/>): the latest
/// value per key in one upsert, the <see cref="MetricSummary"/> blocks they touch in one more, and the logged models'
/// copies of the points that name a model. Only new points reach the summaries, so a point sent again is counted once.
/// </summary>
public static class PostgresMetricRows
{
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

    /// <summary>Adds the latest-value and summary upserts for <paramref name="points"/>, the write's new points.</summary>
    public static void AddRollups(NpgsqlBatch batch, int runId, KeyedPoint[] points)
    {
        if (points.Length == 0)
        {
            return;
        }

        var latest = new Dictionary<int, LatestPoint>();
        var blocks = new Dictionary<(int KeyId, long Block), PointSummary>();
        foreach (var p in points)
        {
            var point = new LatestPoint(p.Step, p.Timestamp, p.Value);
            if (!latest.TryGetValue(p.KeyId, out var known) || point.IsAfter(known))
            {
                latest[p.KeyId] = point;
            }

            ref var block = ref CollectionsMarshal.GetValueRefOrAddDefault(blocks, (p.KeyId, p.Block), out _);
            block.Add(new SeriesPoint(p.Step, p.Timestamp, p.Value));
        }

        var last = latest.Values.ToArray();
        batch.BatchCommands.Add(PostgresRunDataStatements.Command(UpsertLatest, runId, latest.Keys.ToArray(),
            last.Select(p => p.Step).ToArray(), last.Select(p => p.Timestamp).ToArray(),
            last.Select(p => double.IsNaN(p.Value) ? 0.0 : p.Value).ToArray(), last.Select(p => double.IsNaN(p.Value)).ToArray()));

        var keys = blocks.Keys.ToArray();
        var summaries = blocks.Values.ToArray();
        object[] parameters =
        [
            runId, keys.Select(b => b.KeyId).ToArray(), keys.Select(b => b.Block).ToArray(),
            summaries.Select(s => s.Count).ToArray(), summaries.Select(s => s.NanCount).ToArray(),
            .. Columns(summaries, s => s.Min), .. Columns(summaries, s => s.Max), .. Columns(summaries, s => s.First), .. Columns(summaries, s => s.Last),
        ];
        batch.BatchCommands.Add(PostgresRunDataStatements.Command(UpsertSummaries, parameters));
    }

    /// <summary>Adds the insert of the logged models' copies of the write's points that name a model (a copy sent again is skipped).</summary>
    public static void AddModelPoints(NpgsqlBatch batch, RunWrite write, int[] keyIds, Dictionary<string, int> modelIds)
    {
        var rows = Enumerable.Range(0, write.Metrics.Count).Where(i => write.Metrics[i].ModelId is { } model && modelIds.ContainsKey(model)).ToArray();
        if (rows.Length == 0)
        {
            return;
        }

        var metrics = write.Metrics;
        var nans = rows.Select(i => double.IsNaN(metrics[i].Value!.Value)).ToArray();
        batch.BatchCommands.Add(PostgresRunDataStatements.Command(InsertModelPoints, write.RunId,
            rows.Select(i => modelIds[metrics[i].ModelId!]).ToArray(), rows.Select(i => keyIds[i]).ToArray(),
            rows.Select(i => metrics[i].Timestamp!.Value).ToArray(), rows.Select(i => metrics[i].Step ?? 0).ToArray(),
            rows.Select((i, n) => nans[n] ? 0.0 : metrics[i].Value!.Value).ToArray(), nans,
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
