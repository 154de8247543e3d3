using System.Globalization;
using System.Linq.Expressions;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Metrics;
using Cairn.Server.Tracking.Runs;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Search;

/// <summary>
/// runs/search: the filter becomes one SQL query over runs with EXISTS sub-queries on the latest-metrics,
/// params, tags and inputs tables (never a join of all of them), ordered in SQL, paged, then the page's
/// runs are loaded whole.
/// </summary>
public static class RunSearch
{
    private const int MaxResults = 50_000;

    /// <summary>
    /// Ordering by the same field twice (<c>created</c> is <c>start_time</c>) is refused, as MLflow's SQL store refuses
    /// it; there as a 500, here as the 400 it is.
    /// </summary>
    private static void RefuseDuplicates(List<OrderTerm> terms, List<string>? texts)
    {
        var seen = new HashSet<(SearchEntity, string)>();
        foreach (var term in terms)
        {
            var key = term.Entity == SearchEntity.Attribute && term.Key == "created" ? "start_time" : term.Key;
            if (!seen.Add((term.Entity, key)))
            {
                throw MlflowException.InvalidParameter($"'order_by' names the same field twice: [{string.Join(", ", texts!.Select(t => $"'{t}'"))}].");
            }
        }
    }

    public static async Task<(List<RunJson> Page, string? NextPageToken)> RunAsync(CairnDb db, SearchRunsRequest request, CancellationToken cancellationToken)
    {
        var pageSize = request.MaxResults ?? 1000;
        if (pageSize is < 1 or > MaxResults)
        {
            throw MlflowException.InvalidParameter($"Invalid value {pageSize} for parameter 'max_results' supplied. It must be between 1 and {MaxResults}.");
        }

        var offset = PageToken.Decode(request.PageToken);
        var clauses = SearchFilterParser.ParseFilter(request.Filter);
        var orderBy = (request.OrderBy ?? []).Select(SearchFilterParser.ParseOrderBy).ToList();
        RefuseDuplicates(orderBy, request.OrderBy);
        var keyIds = await MetricKeyIdsAsync(db, clauses.Where(c => c.Entity == SearchEntity.Metric).Select(c => c.Key)
            .Concat(orderBy.Where(o => o.Entity == SearchEntity.Metric).Select(o => o.Key)), cancellationToken);

        var experimentIds = (request.ExperimentIds ?? [])
            .Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1).ToArray();
        IQueryable<Run> query = db.Runs.AsNoTracking().Where(r => experimentIds.Contains(r.ExperimentId));
        query = (request.RunViewType ?? ViewType.ActiveOnly) switch
        {
            ViewType.ActiveOnly => query.Where(r => r.LifecycleStage == Lifecycle.Active),
            ViewType.DeletedOnly => query.Where(r => r.LifecycleStage == Lifecycle.Deleted),
            _ => query,
        };

        foreach (var clause in clauses)
        {
            query = query.Where(RunFilter.Predicate(db, clause, keyIds));
        }

        var runs = MetricRanges.Serves(orderBy)
            ? await MetricRanges.PageAsync(db, query, orderBy[0], keyIds[orderBy[0].Key], offset, pageSize, cancellationToken)
            : await RunOrder.Apply(query, orderBy, keyIds).Skip(offset).Take(pageSize).ToListAsync(cancellationToken);
        var page = await RunReader.LoadAsync(db, runs, cancellationToken);
        return (page, PageToken.Next(offset, pageSize, page.Count));
    }

    /// <summary>Ids of the named metric keys; a key never logged maps to -1, which matches no row.</summary>
    private static async Task<Dictionary<string, int>> MetricKeyIdsAsync(CairnDb db, IEnumerable<string> names, CancellationToken cancellationToken)
    {
        var wanted = names.Distinct(StringComparer.Ordinal).ToArray();
        var found = wanted.Length == 0
            ? []
            : await db.MetricKeys.AsNoTracking().Where(k => wanted.Contains(k.Name)).ToDictionaryAsync(k => k.Name, k => k.Id, cancellationToken);
        return wanted.ToDictionary(name => name, name => found.GetValueOrDefault(name, -1), StringComparer.Ordinal);
    }
}

/// <summary>Turns one filter clause into a predicate on runs.</summary>
public static class RunFilter
{
    private static readonly string[] StringAttributes = ["run_id", "run_name", "status", "user_id", "artifact_uri", "lifecycle_stage"];
    private static readonly string[] NumericAttributes = ["start_time", "end_time", "created"];

    /// <summary>
    /// Metric, param and tag clauses become <c>run_id IN (SELECT ... WHERE key = ? AND value ...)</c>: the key and value
    /// indexes find the matching rows in one range scan, instead of one probe per candidate run.
    /// </summary>
    public static Expression<Func<Run, bool>> Predicate(CairnDb db, SearchClause clause, IReadOnlyDictionary<string, int> keyIds)
    {
        switch (clause.Entity)
        {
            case SearchEntity.Metric:
                var keyId = keyIds[clause.Key];
                var test = Predicates.Number<double>(clause, "metric");
                var real = Predicates.And<LatestMetric>(m => m.KeyId == keyId && !m.IsNan, Predicates.On<LatestMetric, double>(m => m.Value, test));
                var match = clause.Comparator == "!="
                    ? Predicates.Or<LatestMetric>(real, m => m.KeyId == keyId && m.IsNan)
                    : real;
                var metricRuns = db.LatestMetrics.Where(match).Select(m => m.RunId);
                return r => metricRuns.Contains(r.Id);
            case SearchEntity.Param:
                var paramKey = clause.Key;
                var paramRuns = db.Params
                    .Where(Predicates.And<Param>(p => p.Key == paramKey, Predicates.On<Param, string>(p => p.Value, Predicates.Text(clause, "param", allowLists: false))))
                    .Select(p => p.RunId);
                return r => paramRuns.Contains(r.Id);
            case SearchEntity.Tag:
                var tagKey = clause.Key;
                var tagRuns = db.RunTags
                    .Where(Predicates.And<RunTag>(t => t.Key == tagKey, Predicates.On<RunTag, string>(t => t.Value, Predicates.Text(clause, "tag", allowLists: false))))
                    .Select(t => t.RunId);
                return r => tagRuns.Contains(r.Id);
            case SearchEntity.Dataset:
                return Dataset(clause);
            default:
                return Attribute(clause);
        }
    }

    private static Expression<Func<Run, bool>> Attribute(SearchClause clause)
    {
        var key = clause.Key.ToLowerInvariant() is "run name" ? "run_name" : clause.Key.ToLowerInvariant();
        return key switch
        {
            "run_id" => Predicates.On<Run, string>(r => r.Uuid, Predicates.Text(clause, "attribute", allowLists: true)),
            "run_name" => Predicates.On<Run, string>(r => r.Name, Predicates.Text(clause, "attribute", allowLists: false)),
            "status" => Predicates.On<Run, string>(r => r.Status, Predicates.Text(clause, "attribute", allowLists: false)),
            "user_id" => Predicates.On<Run, string>(r => r.UserId, Predicates.Text(clause, "attribute", allowLists: false)),
            "artifact_uri" => Predicates.On<Run, string>(r => r.ArtifactUri, Predicates.Text(clause, "attribute", allowLists: false)),
            "lifecycle_stage" => Predicates.On<Run, string>(r => r.LifecycleStage, Predicates.Text(clause, "attribute", allowLists: false)),
            "start_time" or "created" => Predicates.On<Run, long>(r => r.StartTime, Predicates.Number<long>(clause, "attribute")),
            "end_time" => Predicates.And<Run>(r => r.EndTime != null, Predicates.On<Run, long>(r => r.EndTime!.Value, Predicates.Number<long>(clause, "attribute"))),
            _ => throw MlflowException.InvalidParameter(
                $"Invalid attribute key '{clause.Key}' specified. Valid keys are [{string.Join(", ", StringAttributes.Concat(NumericAttributes).Select(k => $"'{k}'"))}]."),
        };
    }

    private static Expression<Func<Run, bool>> Dataset(SearchClause clause)
    {
        var test = Predicates.Text(clause, "dataset", allowLists: true);
        Expression<Func<RunInput, bool>> match = clause.Key.ToLowerInvariant() switch
        {
            "name" => Predicates.On<RunInput, string>(i => i.Dataset.Name, test),
            "digest" => Predicates.On<RunInput, string>(i => i.Dataset.Digest, test),
            "context" => Predicates.Any<RunInput, InputTag>(i => i.Tags,
                Predicates.And<InputTag>(t => t.Key == "mlflow.data.context", Predicates.On<InputTag, string>(t => t.Value, test))),
            _ => throw MlflowException.InvalidParameter($"Invalid dataset key '{clause.Key}' specified. Valid keys are ['name', 'digest', 'context']."),
        };
        return Predicates.Any<Run, RunInput>(r => r.Inputs, match);
    }
}
