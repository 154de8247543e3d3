using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Charts;

/// <summary>
/// How many points each run logged per metric, read from the metric summaries (a thousand rows for a million-step
/// series), so a page can tell a series worth a line chart from a value logged once.
/// </summary>
public static class MetricCounts
{
    /// <summary>Point counts keyed by (run id, metric key), for the given runs.</summary>
    public static async Task<Dictionary<(string Run, string Key), long>> ForRunsAsync(CairnDb db, IReadOnlyCollection<string> runIds, CancellationToken cancellationToken)
    {
        var rows = await (
                from summary in db.MetricSummaries.AsNoTracking()
                join run in db.Runs on summary.RunId equals run.Id
                join key in db.MetricKeys on summary.KeyId equals key.Id
                where runIds.Contains(run.Uuid)
                group summary by new { run.Uuid, key.Name } into g
                select new { g.Key.Uuid, g.Key.Name, Count = g.Sum(s => s.Count) })
            .ToListAsync(cancellationToken);
        return rows.ToDictionary(r => (r.Uuid, r.Name), r => r.Count);
    }

    /// <summary>True when no run logged the metric more than once: a final score, drawn as a value or a bar, not a line.</summary>
    public static bool IsSingleValue(IReadOnlyDictionary<(string Run, string Key), long> counts, IEnumerable<string> runIds, string key) =>
        runIds.All(run => counts.GetValueOrDefault((run, key)) <= 1);
}
