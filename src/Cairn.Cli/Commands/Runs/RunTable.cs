using System.Globalization;
using Cairn.Client.Runs;
using Spectre.Console;

namespace Cairn.Cli.Commands.Runs;

/// <summary>How runs print: a table with the latest value of up to six metrics, or JSON.</summary>
public static class RunTable
{
    private const int MaxMetricColumns = 6;

    public static void Write(CliContext context, bool json, IReadOnlyList<Run> runs)
    {
        if (json)
        {
            context.WriteJson(runs);
            return;
        }

        var metricKeys = runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal).Take(MaxMetricColumns).ToList();
        var table = new Table().AddColumns("RUN ID", "NAME", "STATUS", "STARTED");
        foreach (var key in metricKeys)
        {
            table.AddColumn(Markup.Escape(key));
        }

        foreach (var run in runs)
        {
            var cells = new List<string>
            {
                run.Id,
                Markup.Escape((run.ParentRunId is null ? "" : "  └ ") + run.Name),
                run.Status.ToString().ToUpperInvariant(),
                run.StartTime.ToString("u", CultureInfo.InvariantCulture),
            };
            cells.AddRange(metricKeys.Select(k => run.Metrics.TryGetValue(k, out var m) ? Format(m.Value) : ""));
            table.AddRow([.. cells]);
        }

        context.WriteTable(table);
    }

    public static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);
}
