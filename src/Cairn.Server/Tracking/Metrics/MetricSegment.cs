namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// How PostgreSQL keeps metric points: the new points one write brought to one <see cref="MetricSummary"/> block of
/// a run's metric, as three parallel arrays in get-history's order. A row per point costs PostgreSQL about 130 bytes
/// and a few microseconds to insert; a segment of a hundred points costs a few bytes a point and one row. Small
/// segments of a block are merged as they pile up (<see cref="PostgresMetricSegments"/>), so a series logged a point
/// at a time ends up in few rows too. NaN is stored as itself: PostgreSQL keeps NaN in arrays of double precision.
/// </summary>
public sealed class MetricSegment
{
    public int RunId { get; set; }
    public int KeyId { get; set; }
    public long Block { get; set; }

    /// <summary>Insertion order within the block; segments are read back in it.</summary>
    public long Seq { get; set; }

    /// <summary>How many points the arrays hold: what the merge of small segments looks at, without reading the arrays.</summary>
    public int Points { get; set; }

    public required long[] Steps { get; set; }
    public required long[] Timestamps { get; set; }
    public required double[] Values { get; set; }
}
