using System.Linq.Expressions;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Runs;

namespace Cairn.Server.Tracking.Search;

/// <summary>
/// order_by for runs. Missing values sort last in both directions; NaN metrics sort after numbers and before
/// missing values. The tie-break is always start_time DESC, then run id.
/// </summary>
public static class RunOrder
{
    public static IQueryable<Run> Apply(IQueryable<Run> query, IReadOnlyList<OrderTerm> terms, IReadOnlyDictionary<string, int> keyIds)
    {
        IOrderedQueryable<Run>? ordered = null;
        foreach (var term in terms)
        {
            var key = term.Key;
            switch (term.Entity)
            {
                case SearchEntity.Metric:
                    var keyId = keyIds[key];
                    ordered = By(query, ordered, r => !r.LatestMetrics.Any(m => m.KeyId == keyId), true);
                    ordered = ordered.ThenBy(r => r.LatestMetrics.Any(m => m.KeyId == keyId && m.IsNan));
                    ordered = By(query, ordered, r => r.LatestMetrics.Where(m => m.KeyId == keyId).Select(m => (double?)m.Value).FirstOrDefault(), term.Ascending);
                    break;
                case SearchEntity.Param:
                    ordered = By(query, ordered, r => !r.Params.Any(p => p.Key == key), true);
                    ordered = By(query, ordered, r => r.Params.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault(), term.Ascending);
                    break;
                case SearchEntity.Tag:
                    ordered = By(query, ordered, r => !r.Tags.Any(t => t.Key == key), true);
                    ordered = By(query, ordered, r => r.Tags.Where(t => t.Key == key).Select(t => t.Value).FirstOrDefault(), term.Ascending);
                    break;
                case SearchEntity.Attribute:
                    ordered = Attribute(query, ordered, term);
                    break;
                default:
                    throw MlflowException.InvalidParameter($"Invalid order_by entity for '{term.Key}': runs can be ordered by attributes, metrics, params and tags.");
            }
        }

        ordered = ordered is null ? query.OrderByDescending(r => r.StartTime) : ordered.ThenByDescending(r => r.StartTime);
        return ordered.ThenBy(r => r.Uuid);
    }

    private static IOrderedQueryable<Run> Attribute(IQueryable<Run> query, IOrderedQueryable<Run>? ordered, OrderTerm term) =>
        term.Key.ToLowerInvariant() switch
        {
            "run_id" => By(query, ordered, r => r.Uuid, term.Ascending),
            "run_name" or "run name" => By(query, ordered, r => r.Name, term.Ascending),
            "status" => By(query, ordered, r => r.Status, term.Ascending),
            "user_id" => By(query, ordered, r => r.UserId, term.Ascending),
            "artifact_uri" => By(query, ordered, r => r.ArtifactUri, term.Ascending),
            "experiment_id" => By(query, ordered, r => r.ExperimentId, term.Ascending),
            "start_time" or "created" => By(query, ordered, r => r.StartTime, term.Ascending),
            "end_time" => By(query, By(query, ordered, r => r.EndTime == null, true), r => r.EndTime, term.Ascending),
            _ => throw MlflowException.InvalidParameter(
                $"Invalid order_by key '{term.Key}'. Valid attribute keys are ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri', 'experiment_id', 'start_time', 'end_time', 'created']."),
        };

    private static IOrderedQueryable<Run> By<TKey>(IQueryable<Run> query, IOrderedQueryable<Run>? ordered, Expression<Func<Run, TKey>> key, bool ascending) =>
        QueryOrder.Then(query, ordered, key, ascending);
}
