using System.Globalization;
using System.Linq.Expressions;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Search;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Models.Logged;

/// <summary>
/// logged-models/search (research/mlflow-api.md §9.5): active models of the given experiments, filtered with the
/// common search grammar, ordered by <c>order_by</c> objects, paged with the server's offset tokens.
/// </summary>
public static class LoggedModelSearch
{
    private const int DefaultMaxResults = 50;
    private const int MaxResults = 50_000;

    public static async Task<(List<LoggedModelJson> Page, string? NextPageToken)> RunAsync(
        CairnDb db, SearchLoggedModelsRequest request, CancellationToken cancellationToken)
    {
        if (request.ExperimentIds is not { Count: > 0 })
        {
            throw MlflowException.MissingParameter("experiment_ids");
        }

        var pageSize = request.MaxResults ?? DefaultMaxResults;
        if (pageSize is < 1 or > MaxResults)
        {
            throw MlflowException.InvalidParameter($"Invalid value {pageSize} for parameter 'max_results' supplied. It must be between 1 and {MaxResults}.");
        }

        var offset = PageToken.Decode(request.PageToken);
        var clauses = SearchFilterParser.ParseFilter(request.Filter);
        var onDatasets = DatasetMatch(request.Datasets ?? []);
        var experimentIds = request.ExperimentIds
            .Select(id => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : -1).ToArray();

        var query = db.LoggedModels.AsNoTracking().Where(m => experimentIds.Contains(m.ExperimentId) && m.LifecycleStage == Lifecycle.Active);
        foreach (var clause in clauses)
        {
            query = query.Where(LoggedModelFilter.Predicate(db, clause, onDatasets));
        }

        if (onDatasets is not null && !clauses.Any(c => c.Entity == SearchEntity.Metric))
        {
            // Datasets without a metric clause: the models that have any metric on those datasets.
            var measured = db.LoggedModelMetrics.Where(onDatasets).Select(m => m.LoggedModelId);
            query = query.Where(m => measured.Contains(m.Id));
        }

        var models = await LoggedModelOrder.Apply(db, query, request.OrderBy ?? []).Skip(offset).Take(pageSize).ToListAsync(cancellationToken);
        var page = await LoggedModelReader.LoadAsync(db, models, cancellationToken);
        return (page, PageToken.Next(offset, pageSize, page.Count));
    }

    /// <summary>A metric point measured on any of <paramref name="datasets"/> (name, and digest when given); null for no datasets.</summary>
    private static Expression<Func<LoggedModelMetric, bool>>? DatasetMatch(List<SearchLoggedModelsRequest.DatasetFilter> datasets)
    {
        Expression<Func<LoggedModelMetric, bool>>? any = null;
        for (var i = 0; i < datasets.Count; i++)
        {
            var name = datasets[i].DatasetName;
            if (string.IsNullOrEmpty(name))
            {
                throw MlflowException.InvalidParameter("`dataset_name` in the `datasets` clause must be specified.");
            }

            var digest = datasets[i].DatasetDigest;
            Expression<Func<LoggedModelMetric, bool>> one = string.IsNullOrEmpty(digest)
                ? m => m.DatasetName == name
                : m => m.DatasetName == name && m.DatasetDigest == digest;
            any = any is null ? one : Predicates.Or(any, one);
        }

        return any;
    }
}
