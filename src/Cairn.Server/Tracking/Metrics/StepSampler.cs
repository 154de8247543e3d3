namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// Down-samples a series for get-history-bulk-interval: picks at most <c>maxSteps</c> distinct steps, evenly
/// spaced, always keeping the first and the last, and returns every point at the picked steps.
/// </summary>
public static class StepSampler
{
    public static MetricHistory.Point[] Sample(IReadOnlyList<MetricHistory.Point> points, int maxSteps)
    {
        var steps = new List<long>();
        foreach (var point in points)
        {
            if (steps.Count == 0 || steps[^1] != point.Step)
            {
                steps.Add(point.Step);
            }
        }

        if (steps.Count <= maxSteps)
        {
            return [.. points];
        }

        var picked = new HashSet<long>();
        if (maxSteps == 1)
        {
            picked.Add(steps[0]);
        }
        else
        {
            for (var i = 0; i < maxSteps; i++)
            {
                picked.Add(steps[(int)Math.Round(i * (steps.Count - 1) / (double)(maxSteps - 1))]);
            }
        }

        return [.. points.Where(p => picked.Contains(p.Step))];
    }
}
