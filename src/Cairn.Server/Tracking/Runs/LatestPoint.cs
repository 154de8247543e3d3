namespace Cairn.Server.Tracking.Runs;

/// <summary>A point as the latest-metric table orders them: greatest step, then timestamp, then value (NaN as 0, as stored).</summary>
public readonly record struct LatestPoint(long Step, long Timestamp, double Value)
{
    private double Comparable => double.IsNaN(Value) ? 0.0 : Value;

    public bool IsAfter(LatestPoint other) =>
        Step != other.Step ? Step > other.Step
        : Timestamp != other.Timestamp ? Timestamp > other.Timestamp
        : Comparable > other.Comparable;
}
