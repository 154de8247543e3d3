namespace Cairn.Server.Web.Runs;

/// <summary>
/// The columns a runs table starts with when the address names none: what tells the runs apart. A param, metric,
/// tag, user or source whose value differs between the runs on the page (a run without it counts as different);
/// when nothing differs (one run, say), the first params and metrics, so the table is not bare.
/// </summary>
public static class DefaultColumns
{
    public const int MostPerKind = 8;

    public static List<RunColumn> Of(IReadOnlyList<RunRow> rows, RunColumns keys)
    {
        var candidates = RunColumn.Attributes
            .Concat(keys.Params.Select(k => new RunColumn(ColumnKind.Param, k)))
            .Concat(keys.Metrics.Select(k => new RunColumn(ColumnKind.Metric, k)))
            .Concat(keys.Tags.Select(k => new RunColumn(ColumnKind.Tag, k)))
            .ToList();
        var varying = candidates.Where(c => rows.Select(c.Value).Distinct().Count() > 1).ToList();
        var chosen = varying.Count > 0
            ? varying
            : candidates.Where(c => c.Kind is ColumnKind.Param or ColumnKind.Metric).ToList();
        return chosen.GroupBy(c => c.Kind).SelectMany(g => g.Take(MostPerKind)).Order().ToList();
    }
}
