using Cairn.Server.Tracking.Runs;
using Cairn.Server.Web.Shared;

namespace Cairn.Server.Web.Compare;

/// <summary>One param or latest metric across the compared runs; <see cref="Differs"/> when the runs disagree (a missing value counts).</summary>
public sealed record DiffRow(string Kind, string Key, IReadOnlyList<string?> Values)
{
    public bool Differs => Values.Distinct().Count() > 1;
}

/// <summary>The compare view's table: every param, then every latest metric, each a row with one value per run.</summary>
public static class RunDiff
{
    public static List<DiffRow> Build(IReadOnlyList<RunJson> runs)
    {
        var rows = new List<DiffRow>();
        var paramKeys = runs.SelectMany(r => r.Data.Params ?? []).Select(p => p.Key!).Distinct().Order(StringComparer.Ordinal);
        foreach (var key in paramKeys)
        {
            rows.Add(new DiffRow("param", key, runs.Select(r => r.Data.Params?.FirstOrDefault(p => p.Key == key)?.Value).ToList()));
        }

        foreach (var key in MetricKeys(runs))
        {
            rows.Add(new DiffRow("metric", key, runs.Select(r => r.Data.Metrics?.FirstOrDefault(m => m.Key == key) is { } m ? Format.Number(m.Value) : null).ToList()));
        }

        return rows;
    }

    public static List<string> MetricKeys(IReadOnlyList<RunJson> runs) =>
        runs.SelectMany(r => r.Data.Metrics ?? []).Select(m => m.Key).Distinct().Order(StringComparer.Ordinal).ToList();
}
