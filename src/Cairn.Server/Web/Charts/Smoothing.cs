namespace Cairn.Server.Web.Charts;

/// <summary>
/// The exponential moving average training dashboards use: each value moves <c>1 - weight</c> of the way toward the
/// new point, and the first points are debiased so the curve does not start at zero.
/// </summary>
public static class Smoothing
{
    public static double[] Apply(IReadOnlyList<double> values, double weight)
    {
        var smoothed = new double[values.Count];
        var average = 0.0;
        var count = 0;
        for (var i = 0; i < values.Count; i++)
        {
            var value = values[i];
            if (!double.IsFinite(value))
            {
                smoothed[i] = value;
                continue;
            }

            count++;
            average = average * weight + (1 - weight) * value;
            smoothed[i] = average / (1 - Math.Pow(weight, count));
        }

        return smoothed;
    }
}
