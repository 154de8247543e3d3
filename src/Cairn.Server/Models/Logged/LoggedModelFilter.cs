using System.Linq.Expressions;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Search;

namespace Cairn.Server.Models.Logged;

/// <summary>
/// Turns one filter clause into a predicate on logged models. A metric clause matches a model with any point of
/// that metric satisfying it (on the request's datasets, when given), as MLflow's store does.
/// </summary>
public static class LoggedModelFilter
{
    private static readonly string[] AttributeKeys =
        ["model_id", "name", "model_type", "status", "source_run_id", "creation_timestamp", "creation_time", "last_updated_timestamp", "last_updated_time"];

    public static Expression<Func<LoggedModel, bool>> Predicate(CairnDb db, SearchClause clause, Expression<Func<LoggedModelMetric, bool>>? onDatasets)
    {
        var key = clause.Key;
        switch (clause.Entity)
        {
            case SearchEntity.Metric:
                var real = Predicates.And<LoggedModelMetric>(m => m.Key.Name == key && !m.IsNan, Predicates.On<LoggedModelMetric, double>(m => m.Value, Predicates.Number<double>(clause, "metric")));
                var match = clause.Comparator == "!=" ? Predicates.Or<LoggedModelMetric>(real, m => m.Key.Name == key && m.IsNan) : real;
                var measured = db.LoggedModelMetrics.Where(onDatasets is null ? match : Predicates.And(match, onDatasets)).Select(m => m.LoggedModelId);
                return m => measured.Contains(m.Id);
            case SearchEntity.Param:
                var withParam = db.LoggedModelParams
                    .Where(Predicates.And<LoggedModelParam>(p => p.Key == key, Predicates.On<LoggedModelParam, string>(p => p.Value, Predicates.Text(clause, "param", allowLists: true))))
                    .Select(p => p.LoggedModelId);
                return m => withParam.Contains(m.Id);
            case SearchEntity.Tag:
                var withTag = db.LoggedModelTags
                    .Where(Predicates.And<LoggedModelTag>(t => t.Key == key, Predicates.On<LoggedModelTag, string>(t => t.Value, Predicates.Text(clause, "tag", allowLists: true))))
                    .Select(t => t.LoggedModelId);
                return m => withTag.Contains(m.Id);
            case SearchEntity.Attribute:
                return Attribute(clause);
            default:
                throw MlflowException.InvalidParameter(
                    $"Invalid entity type in the clause on '{clause.Key}': logged models can be searched by attributes, metrics, params and tags.");
        }
    }

    private static Expression<Func<LoggedModel, bool>> Attribute(SearchClause clause) => clause.Key switch
    {
        "model_id" => Predicates.On<LoggedModel, string>(m => m.ModelId, Predicates.Text(clause, "attribute", allowLists: true)),
        "name" => Predicates.On<LoggedModel, string>(m => m.Name, Predicates.Text(clause, "attribute", allowLists: true)),
        "status" => Predicates.On<LoggedModel, string>(m => m.Status, Predicates.Text(CanonicalStatus(clause), "attribute", allowLists: true)),
        "model_type" => Predicates.And<LoggedModel>(m => m.ModelType != null, Predicates.On<LoggedModel, string>(m => m.ModelType!, Predicates.Text(clause, "attribute", allowLists: true))),
        "source_run_id" => Predicates.And<LoggedModel>(m => m.SourceRunId != null, Predicates.On<LoggedModel, string>(m => m.SourceRunId!, Predicates.Text(clause, "attribute", allowLists: true))),
        "creation_timestamp" or "creation_time" or "creation_timestamp_ms" =>
            Predicates.On<LoggedModel, long>(m => m.CreationTimestamp, Predicates.Number<long>(clause, "attribute")),
        "last_updated_timestamp" or "last_updated_time" or "last_updated_timestamp_ms" =>
            Predicates.On<LoggedModel, long>(m => m.LastUpdatedTimestamp, Predicates.Number<long>(clause, "attribute")),
        _ => throw MlflowException.InvalidParameter(
            $"Invalid attribute key '{clause.Key}' specified. Valid keys are [{string.Join(", ", AttributeKeys.Select(k => $"'{k}'"))}]."),
    };

    /// <summary>Status values may use the short names of MLflow's Python entity (<c>READY</c>) or the proto names.</summary>
    private static SearchClause CanonicalStatus(SearchClause clause) => clause.Value switch
    {
        SearchValue.Text text => clause with { Value = new SearchValue.Text(LoggedModelStatusNames.Canonical(text.Value)) },
        SearchValue.List list => clause with { Value = new SearchValue.List([.. list.Values.Select(LoggedModelStatusNames.Canonical)]) },
        _ => clause,
    };
}
