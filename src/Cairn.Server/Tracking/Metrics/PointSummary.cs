namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// The count, extremes and ends of a stretch of a series: what a <see cref="MetricSummary"/> row holds, what the writer
/// gathers before merging into one, and what a chart bucket shows (M4: first, min, max and last point). NaN points are
/// counted but never chosen; equal values go to the smallest (step, timestamp), as in the summary table's upsert.
/// </summary>
public struct PointSummary
{
    public long Count { get; private set; }
    public long NanCount { get; private set; }
    public SeriesPoint? Min { get; private set; }
    public SeriesPoint? Max { get; private set; }
    public SeriesPoint? First { get; private set; }
    public SeriesPoint? Last { get; private set; }

    public static PointSummary Of(MetricSummary row) => new()
    {
        Count = row.Count,
        NanCount = row.NanCount,
        Min = Point(row.MinStep, row.MinTimestamp, row.MinValue),
        Max = Point(row.MaxStep, row.MaxTimestamp, row.MaxValue),
        First = Point(row.FirstStep, row.FirstTimestamp, row.FirstValue),
        Last = Point(row.LastStep, row.LastTimestamp, row.LastValue),
    };

    public static PointSummary Of(SeriesPoint point)
    {
        var summary = new PointSummary();
        summary.Add(point);
        return summary;
    }

    public void Add(SeriesPoint point)
    {
        Count++;
        if (double.IsNaN(point.Value))
        {
            NanCount++;
            return;
        }

        Include(point, point, point, point);
    }

    public void Add(PointSummary other)
    {
        Count += other.Count;
        NanCount += other.NanCount;
        Include(other.Min, other.Max, other.First, other.Last);
    }

    /// <summary>Appends first, min, max and last to <paramref name="points"/> in get-history's order, each point once.</summary>
    public readonly void AppendM4(List<SeriesPoint> points)
    {
        if (First is not { } first)
        {
            return;
        }

        Span<SeriesPoint> four = [first, Min!.Value, Max!.Value, Last!.Value];
        four.Sort(Compare);
        for (var i = 0; i < four.Length; i++)
        {
            if (i == 0 || four[i] != four[i - 1])
            {
                points.Add(four[i]);
            }
        }
    }

    /// <summary>get-history's order: step, then timestamp, then value.</summary>
    public static int Compare(SeriesPoint a, SeriesPoint b) =>
        a.Step != b.Step ? a.Step.CompareTo(b.Step)
        : a.Timestamp != b.Timestamp ? a.Timestamp.CompareTo(b.Timestamp)
        : a.Value.CompareTo(b.Value);

    private void Include(SeriesPoint? min, SeriesPoint? max, SeriesPoint? first, SeriesPoint? last)
    {
        if (min is { } lower && (Min is not { } current || lower.Value < current.Value || (lower.Value == current.Value && Compare(lower, current) < 0)))
        {
            Min = lower;
        }

        if (max is { } higher && (Max is not { } top || higher.Value > top.Value || (higher.Value == top.Value && Compare(higher, top) < 0)))
        {
            Max = higher;
        }

        if (first is { } earlier && (First is not { } start || Compare(earlier, start) < 0))
        {
            First = earlier;
        }

        if (last is { } later && (Last is not { } end || Compare(later, end) > 0))
        {
            Last = later;
        }
    }

    private static SeriesPoint? Point(long? step, long? timestamp, double? value) =>
        step is null ? null : new SeriesPoint(step.Value, timestamp!.Value, value!.Value);
}
