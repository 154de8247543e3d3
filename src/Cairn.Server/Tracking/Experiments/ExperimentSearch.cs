using System.Linq.Expressions;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Search;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Experiments;

/// <summary>experiments/search: filter on name, creation_time, last_update_time and tags; order by those or experiment_id.</summary>
public static class ExperimentSearch
{
    private const int MaxResults = 50_000;

    public static async Task<(List<Experiment> Page, string? NextPageToken)> RunAsync(
        CairnDb db, SearchExperimentsRequest request, CancellationToken cancellationToken)
    {
        var requested = request.MaxResults ?? 1000;
        if (requested is < 1 or > MaxResults)
        {
            throw MlflowException.InvalidParameter($"Invalid value {requested} for parameter 'max_results' supplied. It must be between 1 and {MaxResults}.");
        }

        var pageSize = (int)requested;

        var offset = PageToken.Decode(request.PageToken);
        IQueryable<Experiment> query = db.Experiments.AsNoTracking().Include(e => e.Tags);
        query = (request.ViewType ?? ViewType.ActiveOnly) switch
        {
            ViewType.ActiveOnly => query.Where(e => e.LifecycleStage == Lifecycle.Active),
            ViewType.DeletedOnly => query.Where(e => e.LifecycleStage == Lifecycle.Deleted),
            _ => query,
        };

        foreach (var clause in SearchFilterParser.ParseFilter(request.Filter))
        {
            query = query.Where(Predicate(clause));
        }

        query = Order(query, request.OrderBy ?? []);
        var page = await query.Skip(offset).Take(pageSize).AsSplitQuery().ToListAsync(cancellationToken);
        return (page, PageToken.Next(offset, pageSize, page.Count));
    }

    private static Expression<Func<Experiment, bool>> Predicate(SearchClause clause) => clause.Entity switch
    {
        SearchEntity.Attribute => clause.Key.ToLowerInvariant() switch
        {
            "name" => Predicates.On<Experiment, string>(e => e.Name, Predicates.Text(clause, "attribute", allowLists: false)),
            "creation_time" => Predicates.On<Experiment, long>(e => e.CreationTime, Predicates.Number<long>(clause, "attribute")),
            "last_update_time" => Predicates.On<Experiment, long>(e => e.LastUpdateTime, Predicates.Number<long>(clause, "attribute")),
            _ => throw MlflowException.InvalidParameter(
                $"Invalid attribute key '{clause.Key}' specified. Valid keys are ['name', 'creation_time', 'last_update_time']."),
        },
        SearchEntity.Tag => TagPredicate(clause),
        _ => throw MlflowException.InvalidParameter(
            $"Invalid entity type '{clause.Entity.ToString().ToLowerInvariant()}' in the clause on '{clause.Key}': experiments can be searched by attributes and tags only."),
    };

    private static Expression<Func<Experiment, bool>> TagPredicate(SearchClause clause)
    {
        var key = clause.Key;
        var match = Predicates.And(t => t.Key == key, Predicates.On<ExperimentTag, string>(t => t.Value, Predicates.Text(clause, "tag", allowLists: false)));
        return Predicates.Any<Experiment, ExperimentTag>(e => e.Tags, match);
    }

    private static IQueryable<Experiment> Order(IQueryable<Experiment> query, List<string> orderBy)
    {
        IOrderedQueryable<Experiment>? ordered = null;
        foreach (var text in orderBy)
        {
            var term = SearchFilterParser.ParseOrderBy(text);
            if (term.Entity != SearchEntity.Attribute)
            {
                throw MlflowException.InvalidParameter($"Invalid order_by clause '{text}': experiments can be ordered by attributes only.");
            }

            ordered = term.Key.ToLowerInvariant() switch
            {
                "name" => Then(query, ordered, e => e.Name, term.Ascending),
                "experiment_id" => Then(query, ordered, e => e.Id, term.Ascending),
                "creation_time" => Then(query, ordered, e => e.CreationTime, term.Ascending),
                "last_update_time" => Then(query, ordered, e => e.LastUpdateTime, term.Ascending),
                _ => throw MlflowException.InvalidParameter(
                    $"Invalid order_by clause '{text}': valid keys are ['name', 'experiment_id', 'creation_time', 'last_update_time']."),
            };
        }

        ordered = ordered is null ? query.OrderByDescending(e => e.CreationTime) : ordered;
        return ordered.ThenBy(e => e.Id);
    }

    private static IOrderedQueryable<Experiment> Then<TKey>(
        IQueryable<Experiment> query, IOrderedQueryable<Experiment>? ordered, Expression<Func<Experiment, TKey>> key, bool ascending) =>
        QueryOrder.Then(query, ordered, key, ascending);
}
