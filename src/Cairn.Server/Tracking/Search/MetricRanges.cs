using Cairn.Server.Data;
using Cairn.Server.Tracking.Runs;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Search;

/// <summary>
/// runs/search ordered by one metric, the way dashboards and the MLflow UI ask for "best runs first". The order
/// (numbers by value, then NaN, then runs without the metric; ties newest first) is read as three ranges one after
/// another. The first is a join on the metric's (key, value) index in order, so the database reads the best values
/// first and stops once the page is full, instead of ordering every matching run: over 100,000 runs on PostgreSQL
/// that is the difference between sorting 16,000 matches and looking at a few hundred index entries.
/// </summary>
public static class MetricRanges
{
    /// <summary>Whether the order is one metric term, which this serves; any other order goes through <see cref="RunOrder"/>.</summary>
    public static bool Serves(IReadOnlyList<OrderTerm> terms) => terms is [{ Entity: SearchEntity.Metric }];

    /// <summary>The page at <paramref name="offset"/>: each range in turn, skipping what earlier pages took.</summary>
    public static async Task<List<Run>> PageAsync(
        CairnDb db, IQueryable<Run> query, OrderTerm term, int keyId, int offset, int limit, CancellationToken cancellationToken)
    {
        var page = new List<Run>(Math.Min(limit, 1024));
        var skip = offset;
        foreach (var range in Ranges(db, query, term, keyId))
        {
            var rows = await range.Skip(skip).Take(limit - page.Count).ToListAsync(cancellationToken);
            page.AddRange(rows);
            if (page.Count == limit)
            {
                break;
            }

            // The range ended before the page was full: the next one starts at the page, or further on by
            // what is left of the offset once this whole range has been skipped.
            skip = rows.Count > 0 ? 0 : Math.Max(0, skip - await range.CountAsync(cancellationToken));
        }

        return page;
    }

    private static IQueryable<Run>[] Ranges(CairnDb db, IQueryable<Run> query, OrderTerm term, int keyId)
    {
        var numbers = query.Join(db.LatestMetrics.Where(m => m.KeyId == keyId && !m.IsNan), r => r.Id, m => m.RunId, (r, m) => new { Run = r, m.Value });
        var byValue = term.Ascending ? numbers.OrderBy(x => x.Value) : numbers.OrderByDescending(x => x.Value);
        return
        [
            byValue.ThenByDescending(x => x.Run.StartTime).ThenBy(x => x.Run.Uuid).Select(x => x.Run),
            Newest(query.Where(r => r.LatestMetrics.Any(m => m.KeyId == keyId && m.IsNan))),
            Newest(query.Where(r => !r.LatestMetrics.Any(m => m.KeyId == keyId))),
        ];
    }

    private static IQueryable<Run> Newest(IQueryable<Run> runs) => runs.OrderByDescending(r => r.StartTime).ThenBy(r => r.Uuid);
}
