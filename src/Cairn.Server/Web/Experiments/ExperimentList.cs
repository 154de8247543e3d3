using Cairn.Server.Data;
using Cairn.Server.Tracking.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Experiments;

/// <summary>The experiments page's data: active experiments, most recently updated first, with their active run counts.</summary>
public static class ExperimentList
{
    public static async Task<(List<Experiment> Experiments, Dictionary<int, int> RunCounts)> LoadAsync(CairnDb db, CancellationToken cancellationToken)
    {
        var (experiments, _) = await ExperimentSearch.RunAsync(
            db, new SearchExperimentsRequest { MaxResults = 1000, OrderBy = ["last_update_time DESC"] }, cancellationToken);
        var counts = await db.Runs.AsNoTracking()
            .Where(r => r.LifecycleStage == Lifecycle.Active)
            .GroupBy(r => r.ExperimentId)
            .Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        return (experiments, counts);
    }
}
