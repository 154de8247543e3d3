using Cairn.Server.Tracking.Runs;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>A metric name, stored once; points refer to it by <see cref="Id"/>.</summary>
public sealed class MetricKey
{
    public int Id { get; set; }
    public required string Name { get; set; }
}

/// <summary>One logged point. NaN is kept as <see cref="IsNan"/> with <see cref="Value"/> 0, since SQLite stores NaN as NULL.</summary>
public sealed class MetricPoint
{
    public int RunId { get; set; }
    public int KeyId { get; set; }
    public long Step { get; set; }
    public long Timestamp { get; set; }
    public double Value { get; set; }
    public bool IsNan { get; set; }
}

/// <summary>The latest point per run and key (greatest step, then timestamp, then value): what search and run views read.</summary>
public sealed class LatestMetric
{
    public int RunId { get; set; }
    public int KeyId { get; set; }
    public MetricKey Key { get; set; } = null!;
    public long Step { get; set; }
    public long Timestamp { get; set; }
    public double Value { get; set; }
    public bool IsNan { get; set; }
    public Run Run { get; set; } = null!;
}

/// <summary>
/// A pre-aggregated block of one run's metric: the points with <c>step &gt;&gt; <see cref="BlockShift"/></c> equal to
/// <see cref="Block"/>, kept by the run-data writer as points arrive, so a chart never reads the raw points of a long
/// series. <see cref="Count"/> counts every stored point, NaN included (<see cref="NanCount"/> of them); NaN points
/// are never the min, max, first or last point, which are null when the block holds only NaN. Ties go to the
/// smallest (step, timestamp); first and last follow get-history's order (step, timestamp, value).
/// </summary>
public sealed class MetricSummary
{
    /// <summary>1,024 steps a block: a million-step series has about a thousand blocks.</summary>
    public const int BlockShift = 10;

    public int RunId { get; set; }
    public int KeyId { get; set; }
    public long Block { get; set; }
    public long Count { get; set; }
    public long NanCount { get; set; }
    public long? MinStep { get; set; }
    public long? MinTimestamp { get; set; }
    public double? MinValue { get; set; }
    public long? MaxStep { get; set; }
    public long? MaxTimestamp { get; set; }
    public double? MaxValue { get; set; }
    public long? FirstStep { get; set; }
    public long? FirstTimestamp { get; set; }
    public double? FirstValue { get; set; }
    public long? LastStep { get; set; }
    public long? LastTimestamp { get; set; }
    public double? LastValue { get; set; }
}
