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
