using System.Globalization;
using Cairn.Server.Tracking.Metrics;
using Plotly.Blazor;
using Plotly.Blazor.LayoutLib;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ScatterLib;

namespace Cairn.Server.Web.Charts;

/// <summary>Turns metric series into Plotly traces and a layout for the chosen axis, scale and smoothing.</summary>
public static class MetricTraces
{
    private static readonly string[] Palette =
        ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"];

    /// <summary>Series this short get a marker on every point, so one or two points are not lost on an empty axis.</summary>
    public const int MarkedPoints = 50;

    public static string Color(int index) => Palette[index % Palette.Length];

    public static List<ITrace> Build(IReadOnlyList<(ChartRun Run, MetricSeriesResult Series)> series, ChartOptions options)
    {
        var traces = new List<ITrace>();
        for (var i = 0; i < series.Count; i++)
        {
            var (run, result) = series[i];
            var x = result.Points.Select(p => X(p, run, options.Axis)).ToList();
            var y = result.Points.Select(p => p.Value).ToList();
            var smoothing = options.Smoothing > 0;
            var marked = result.Points.Count <= MarkedPoints;
            traces.Add(new Scatter
            {
                Name = run.Name,
                X = x,
                Y = y.Cast<object>().ToList(),
                Mode = marked ? ModeFlag.Lines | ModeFlag.Markers : ModeFlag.Lines,
                Marker = marked ? new Marker { Color = Color(i), Size = 6 } : null,
                Opacity = smoothing ? 0.25m : 1m,
                ShowLegend = !smoothing,
                Line = new Line { Color = Color(i), Width = 1.5m },
            });
            if (smoothing)
            {
                traces.Add(new Scatter
                {
                    Name = run.Name,
                    X = x,
                    Y = Smoothing.Apply(y, options.Smoothing).Cast<object>().ToList(),
                    Mode = ModeFlag.Lines,
                    Line = new Line { Color = Color(i), Width = 2m },
                });
            }
        }

        return traces;
    }

    public static Plotly.Blazor.Layout Layout(ChartOptions options, bool legend) => new()
    {
        Height = 280,
        Margin = new Margin { L = 56, R = 16, T = 16, B = 44 },
        ShowLegend = legend,
        UiRevision = "keep",
        XAxis =
        [
            new XAxis
            {
                Title = new Plotly.Blazor.LayoutLib.XAxisLib.Title { Text = AxisTitle(options.Axis) },
                Type = options.Axis == XAxisKind.WallTime ? Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Date : Plotly.Blazor.LayoutLib.XAxisLib.TypeEnum.Linear,
            },
        ],
        YAxis =
        [
            new YAxis
            {
                Type = options.LogY ? Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Log : Plotly.Blazor.LayoutLib.YAxisLib.TypeEnum.Linear,
                // Plotly labels the 2s and 5s between powers of ten with the bare digit; write whole numbers instead.
                TickFormat = options.LogY ? "~g" : null,
            },
        ],
    };

    public static string AxisTitle(XAxisKind axis) => axis switch
    {
        XAxisKind.WallTime => "Wall time (UTC)",
        XAxisKind.RelativeTime => "Relative time (s)",
        _ => "Step",
    };

    public static object X(SeriesPoint point, ChartRun run, XAxisKind axis) => axis switch
    {
        // Plotly reads dates without a zone; the UI shows every time in UTC.
        XAxisKind.WallTime => DateTimeOffset.FromUnixTimeMilliseconds(point.Timestamp).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture),
        XAxisKind.RelativeTime => (point.Timestamp - run.StartTime) / 1000.0,
        _ => point.Step,
    };
}
