using System.Globalization;
using Cairn.Server.Tracking.Runs;
using Plotly.Blazor;
using Plotly.Blazor.Traces;
using Plotly.Blazor.Traces.ParCoordsLib;

namespace Cairn.Server.Web.Compare;

/// <summary>
/// A parallel-coordinates chart of the runs' params against one metric: one axis per param (numeric when every run
/// has a number there, else one tick per distinct value) and the metric last, lines coloured by the metric.
/// </summary>
public static class ParallelCoordinates
{
    private const string Missing = "(none)";

    public static List<ITrace> Build(IReadOnlyList<RunJson> runs, string metric)
    {
        var measured = runs.Where(r => r.Data.Metrics?.Any(m => m.Key == metric && double.IsFinite(m.Value)) == true).ToList();
        var metricValues = measured.Select(r => r.Data.Metrics!.First(m => m.Key == metric).Value).ToList();
        var dimensions = measured.SelectMany(r => r.Data.Params ?? []).Select(p => p.Key!).Distinct().Order(StringComparer.Ordinal)
            .Select(key => ParamDimension(key, measured.Select(r => r.Data.Params?.FirstOrDefault(p => p.Key == key)?.Value).ToList()))
            .ToList();
        dimensions.Add(new Dimension { Label = metric, Values = metricValues.Cast<object>().ToList() });

        return
        [
            new ParCoords
            {
                Dimensions = dimensions,
                Line = new Line { ColorArray = metricValues.Cast<object>().ToList(), ColorScale = "Viridis", ShowScale = true },
            },
        ];
    }

    private static Dimension ParamDimension(string key, List<string?> values)
    {
        var numbers = values.Select(v => double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) ? d : (double?)null).ToList();
        if (numbers.All(n => n is not null))
        {
            return new Dimension { Label = key, Values = numbers.Select(n => (object)n!.Value).ToList() };
        }

        var categories = values.Select(v => v ?? Missing).Distinct().Order(StringComparer.Ordinal).ToList();
        return new Dimension
        {
            Label = key,
            Values = values.Select(v => (object)categories.IndexOf(v ?? Missing)).ToList(),
            TickVals = Enumerable.Range(0, categories.Count).Cast<object>().ToList(),
            TickText = categories.Cast<object>().ToList(),
        };
    }
}
