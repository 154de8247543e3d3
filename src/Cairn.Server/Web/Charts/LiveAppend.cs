using Cairn.Server.Tracking.Metrics;

namespace Cairn.Server.Web.Charts;

/// <summary>
/// New points for a drawn chart, as the arguments of Plotly's extendTraces: for each run the raw line's new
/// points, and when smoothing is on the smoothed line's new tail too. The series themselves grow as points are
/// added, so a later redraw (another axis, say) draws them as well.
/// </summary>
public sealed class LiveAppend(List<(ChartRun Run, MetricSeriesResult Series)> series, ChartOptions options)
{
    /// <summary>A line longer than this is read again down-sampled rather than extended.</summary>
    public const int MostPoints = 2 * ChartOptions.MaxPoints;

    public List<IEnumerable<object>> X { get; } = [];
    public List<IEnumerable<object>> Y { get; } = [];
    public List<int> Indices { get; } = [];
    public bool TooLong { get; private set; }

    public void Add(int index, IReadOnlyList<SeriesPoint> fresh)
    {
        if (fresh.Count == 0)
        {
            return;
        }

        var (run, result) = series[index];
        var points = result.Points.Concat(fresh).ToList();
        series[index] = (run, result with { TotalPoints = result.TotalPoints + fresh.Count, Points = points });
        TooLong |= points.Count > MostPoints;

        var x = fresh.Select(p => MetricTraces.X(p, run, options.Axis)).ToList();
        var smoothing = options.Smoothing > 0;
        Extend(smoothing ? 2 * index : index, x, fresh.Select(p => (object)p.Value));
        if (smoothing)
        {
            var smoothed = Smoothing.Apply(points.ConvertAll(p => p.Value), options.Smoothing);
            Extend(2 * index + 1, x, smoothed.Skip(result.Points.Count).Cast<object>());
        }
    }

    private void Extend(int trace, IEnumerable<object> x, IEnumerable<object> y)
    {
        Indices.Add(trace);
        X.Add(x);
        Y.Add(y.ToList());
    }
}
