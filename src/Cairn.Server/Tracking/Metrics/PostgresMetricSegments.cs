using Cairn.Server.Tracking.Runs;
using Npgsql;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// The SQL behind <see cref="MetricSegment"/>s: a write's new points go in as one segment per (key, block), grouped
/// by PostgreSQL from flat arrays in one statement; candidates for a replay are checked against the stored segments
/// of their blocks; and a block's small segments are merged into one once <see cref="MergeAt"/> of them pile up.
/// </summary>
public static class PostgresMetricSegments
{
    /// <summary>Segments with fewer points than this are small: one from log-metric holds one point.</summary>
    public const int SmallSegment = 64;

    /// <summary>How many small segments a block may gather before they are merged.</summary>
    public const int MergeAt = 8;

    private static readonly string InsertSegments = $"""
        INSERT INTO metric_segments (run_id, key_id, block, points, steps, timestamps, values)
        SELECT $1, k, s >> {MetricSummary.BlockShift}, count(*), array_agg(s ORDER BY n), array_agg(t ORDER BY n), array_agg(v ORDER BY n)
        FROM unnest($2::integer[], $3::bigint[], $4::bigint[], $5::double precision[]) WITH ORDINALITY AS p(k, s, t, v, n)
        GROUP BY k, s >> {MetricSummary.BlockShift}
        """;

    private const string ReadBlocks = """
        SELECT s.key_id, s.steps, s.timestamps, s.values FROM metric_segments AS s
        JOIN unnest($2::integer[], $3::bigint[]) AS b(k, b) ON s.key_id = b.k AND s.block = b.b
        WHERE s.run_id = $1
        """;

    private static readonly string MergeSmall = $"""
        WITH full_blocks AS (
            SELECT m.key_id, m.block FROM metric_segments AS m
            JOIN unnest($2::integer[], $3::bigint[]) AS b(k, b) ON m.key_id = b.k AND m.block = b.b
            WHERE m.run_id = $1 AND m.points < {SmallSegment}
            GROUP BY m.key_id, m.block HAVING count(*) >= {MergeAt}),
        merged AS (
            DELETE FROM metric_segments AS s USING full_blocks AS f
            WHERE s.run_id = $1 AND s.key_id = f.key_id AND s.block = f.block AND s.points < {SmallSegment}
            RETURNING s.key_id, s.block, s.steps, s.timestamps, s.values)
        INSERT INTO metric_segments (run_id, key_id, block, points, steps, timestamps, values)
        SELECT $1, m.key_id, m.block, count(*), array_agg(p.s ORDER BY p.s, p.t, p.o, p.n), array_agg(p.t ORDER BY p.s, p.t, p.o, p.n), array_agg(p.v ORDER BY p.s, p.t, p.o, p.n)
        FROM merged AS m, unnest(m.steps, m.timestamps, m.values) AS u(s, t, v),
            LATERAL (SELECT u.s, u.t, u.v, CASE WHEN u.v = 'NaN' THEN 0 ELSE u.v END AS o, u.v = 'NaN' AS n) AS p
        GROUP BY m.key_id, m.block
        """;

    /// <summary>Adds the insert of <paramref name="points"/> (new, in get-history's order), then the merge of the blocks it added small segments to.</summary>
    public static void AddInsert(NpgsqlBatch batch, int runId, KeyedPoint[] points)
    {
        batch.BatchCommands.Add(PostgresRunDataStatements.Command(InsertSegments, runId,
            points.Select(p => p.KeyId).ToArray(), points.Select(p => p.Step).ToArray(),
            points.Select(p => p.Timestamp).ToArray(), points.Select(p => p.Value).ToArray()));

        var small = points.GroupBy(p => (p.KeyId, p.Block)).Where(g => g.Count() < SmallSegment).Select(g => g.Key).ToArray();
        if (small.Length > 0)
        {
            batch.BatchCommands.Add(PostgresRunDataStatements.Command(MergeSmall, runId,
                small.Select(b => b.KeyId).ToArray(), small.Select(b => b.Block).ToArray()));
        }
    }

    /// <summary>The identities of the points stored in the candidates' blocks.</summary>
    public static async Task<HashSet<(int, long, long, long)>> ReadStoredAsync(
        NpgsqlConnection connection, int runId, NewPoints points, CancellationToken cancellationToken)
    {
        var stored = new HashSet<(int, long, long, long)>();
        if (points.Candidates.Count == 0)
        {
            return stored;
        }

        var (keys, blocks) = points.CandidateBlocks();
        await using var batch = new NpgsqlBatch(connection) { BatchCommands = { PostgresRunDataStatements.Command(ReadBlocks, runId, keys, blocks) } };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var keyId = reader.GetInt32(0);
            var (steps, timestamps, values) = (reader.GetFieldValue<long[]>(1), reader.GetFieldValue<long[]>(2), reader.GetFieldValue<double[]>(3));
            for (var i = 0; i < steps.Length; i++)
            {
                stored.Add(new KeyedPoint(keyId, steps[i], timestamps[i], values[i]).Identity);
            }
        }

        return stored;
    }
}
