using System.Linq.Expressions;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Cairn.Server.Tracking.Search;

namespace Cairn.Server.Models.Logged;

/// <summary>
/// order_by objects for logged models: an attribute, or <c>metrics.&lt;key&gt;</c> by its latest point (greatest
/// timestamp, then step), optionally on one dataset. Missing values sort last either way; NaN after numbers.
/// Ties: newest first (unless the creation time was ordered on), then model id.
/// </summary>
public static class LoggedModelOrder
{
    public static IQueryable<LoggedModel> Apply(CairnDb db, IQueryable<LoggedModel> query, List<SearchLoggedModelsRequest.OrderField> orderBy)
    {
        IOrderedQueryable<LoggedModel>? ordered = null;
        var byCreation = false;
        for (var i = 0; i < orderBy.Count; i++)
        {
            var field = TrackingRules.Required(orderBy[i].FieldName, $"order_by[{i}].field_name");
            var ascending = orderBy[i].Ascending ?? true;
            var dot = field.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                byCreation |= field is "creation_timestamp" or "creation_time" or "creation_timestamp_ms";
                ordered = Attribute(query, ordered, field, ascending);
                continue;
            }

            if (field[..dot] != "metrics")
            {
                throw MlflowException.InvalidParameter($"Invalid order by field name: {field}. Only metrics are supported.");
            }

            ordered = Metric(db, query, ordered, field[(dot + 1)..].Trim('`'), orderBy[i], ascending);
        }

        return (byCreation ? ordered! : Then(query, ordered, m => m.CreationTimestamp, false)).ThenBy(m => m.ModelId);
    }

    private static IOrderedQueryable<LoggedModel> Metric(
        CairnDb db, IQueryable<LoggedModel> query, IOrderedQueryable<LoggedModel>? ordered, string key, SearchLoggedModelsRequest.OrderField term, bool ascending)
    {
        var (datasetName, datasetDigest) = (term.DatasetName, term.DatasetDigest);
        if (string.IsNullOrEmpty(datasetName) && !string.IsNullOrEmpty(datasetDigest))
        {
            throw MlflowException.InvalidParameter($"Invalid order_by for '{term.FieldName}': 'dataset_digest' may only be set with 'dataset_name'.");
        }

        var points = db.LoggedModelMetrics.Where(p => p.Key.Name == key
            && (string.IsNullOrEmpty(datasetName) || p.DatasetName == datasetName)
            && (string.IsNullOrEmpty(datasetDigest) || p.DatasetDigest == datasetDigest));
        ordered = Then(query, ordered, m => !points.Any(p => p.LoggedModelId == m.Id), true);
        ordered = ordered.ThenBy(m => points.Where(p => p.LoggedModelId == m.Id).OrderByDescending(p => p.Timestamp).ThenByDescending(p => p.Step)
            .Select(p => p.IsNan).FirstOrDefault());
        return Then(query, ordered, m => points.Where(p => p.LoggedModelId == m.Id).OrderByDescending(p => p.Timestamp).ThenByDescending(p => p.Step)
            .Select(p => (double?)p.Value).FirstOrDefault(), ascending);
    }

    private static IOrderedQueryable<LoggedModel> Attribute(IQueryable<LoggedModel> query, IOrderedQueryable<LoggedModel>? ordered, string field, bool ascending) =>
        field switch
        {
            "model_id" => Then(query, ordered, m => m.ModelId, ascending),
            "name" => Then(query, ordered, m => m.Name, ascending),
            "experiment_id" => Then(query, ordered, m => m.ExperimentId, ascending),
            "status" => Then(query, ordered, m => m.Status, ascending),
            "artifact_uri" or "artifact_location" => Then(query, ordered, m => m.ArtifactUri, ascending),
            "model_type" => Then(query, Then(query, ordered, m => m.ModelType == null, true), m => m.ModelType, ascending),
            "source_run_id" => Then(query, Then(query, ordered, m => m.SourceRunId == null, true), m => m.SourceRunId, ascending),
            "creation_timestamp" or "creation_time" or "creation_timestamp_ms" => Then(query, ordered, m => m.CreationTimestamp, ascending),
            "last_updated_timestamp" or "last_updated_time" or "last_updated_timestamp_ms" => Then(query, ordered, m => m.LastUpdatedTimestamp, ascending),
            _ => throw MlflowException.InvalidParameter($"Invalid order by field name: {field}"),
        };

    private static IOrderedQueryable<LoggedModel> Then<TKey>(IQueryable<LoggedModel> query, IOrderedQueryable<LoggedModel>? ordered, Expression<Func<LoggedModel, TKey>> key, bool ascending) =>
        QueryOrder.Then(query, ordered, key, ascending);
}
