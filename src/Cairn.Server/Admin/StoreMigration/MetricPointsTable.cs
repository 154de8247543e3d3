using Cairn.Server.Tracking.Metrics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// Metric points: a row each in SQLite's <c>metrics</c>, <see cref="MetricSegment"/>s in PostgreSQL's
/// <c>metric_segments</c>. The rows are copied into a staging table and grouped into one segment per run, key and
/// block, in get-history's order; the check reads the segments back as rows (NaN as value 0 and <c>is_nan</c>, as
/// SQLite keeps it) and compares them with SQLite's in primary-key order.
/// </summary>
public static class MetricPointsTable
{
    public const string TargetName = "metric_segments";

    private const string Staging = "metric_points_copy";

    private static readonly string Group = $"""
        INSERT INTO metric_segments (run_id, key_id, block, points, steps, timestamps, values)
        SELECT run_id, key_id, step >> {MetricSummary.BlockShift}, count(*),
            array_agg(step ORDER BY step, timestamp, value, is_nan),
            array_agg(timestamp ORDER BY step, timestamp, value, is_nan),
            array_agg(CASE WHEN is_nan THEN 'NaN'::double precision ELSE value END ORDER BY step, timestamp, value, is_nan)
        FROM {Staging} GROUP BY run_id, key_id, step >> {MetricSummary.BlockShift}
        """;

    private const string AsRows = """
        SELECT s.run_id, s.key_id, p.step, p.timestamp, CASE WHEN p.value = 'NaN' THEN 0 ELSE p.value END AS value, p.value = 'NaN' AS is_nan
        FROM metric_segments AS s, unnest(s.steps, s.timestamps, s.values) AS p(step, timestamp, value)
        """;

    /// <summary>The table to move, from SQLite's <paramref name="metrics"/> and PostgreSQL's type mappings.</summary>
    public static StoreTable Of(ITable metrics, IRelationalTypeMappingSource postgresTypes)
    {
        var columns = metrics.Columns.Select(c =>
        {
            var source = c.PropertyMappings[0].TypeMapping;
            var target = postgresTypes.FindMapping(source.ClrType) ?? throw new InvalidOperationException($"PostgreSQL has no mapping for metrics.{c.Name}.");
            return (Column: new StoreColumn(c.Name, source, target), target.StoreType);
        }).ToList();
        var key = metrics.PrimaryKey?.Columns.Select(c => c.Name).ToList() ?? throw new InvalidOperationException("The metrics table has no primary key.");
        var create = $"CREATE TEMP TABLE {Staging} ({string.Join(", ", columns.Select(c => $"{StoreTable.Quote(c.Column.Name)} {c.StoreType}"))}) ON COMMIT DROP";
        return new StoreTable(TargetName, [.. columns.Select(c => c.Column)], key)
        {
            SourceName = metrics.Name,
            Staged = new StagedCopy(create, Staging, Group),
            TargetRows = AsRows,
        };
    }
}
