using Cairn.Server.Data;
using Cairn.Server.Tracking.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Experiments;

/// <summary>One line of the experiments page.</summary>
public sealed record ExperimentRow(int Id, string Name, long CreationTime, long LastUpdateTime, int Runs);

/// <summary>The experiments page's data: active experiments, most recently updated first, with their active run counts.</summary>
public static class ExperimentList
{
    public static async Task<List<ExperimentRow>> LoadAsync(CairnDb db, CancellationToken cancellationToken)
    {
        var (experiments, _) = await ExperimentSearch.RunAsync(
            db, new SearchExperimentsRequest { MaxResults = 1000, OrderBy = ["last_update_time DESC"] }, cancellationToken);
        var counts = await db.Runs.AsNoTracking()
            .Where(r => r.LifecycleStage == Lifecycle.Active)
            .GroupBy(r => r.ExperimentId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return experiments.Select(e => new ExperimentRow(e.Id, e.Name, e.CreationTime, e.LastUpdateTime, counts.GetValueOrDefault(e.Id))).ToList();
    }
}
