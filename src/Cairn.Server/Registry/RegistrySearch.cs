using System.Linq.Expressions;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Cairn.Server.Tracking.Search;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>
/// registered-models/search and model-versions/search with MLflow's grammar (research/mlflow-api.md §9.4),
/// including the prompt rule 3.x clients depend on: for <c>mlflow.prompt.is_prompt</c>, a missing tag matches
/// <c>!= 'true'</c> and <c>= 'false'</c>, so ordinary models are found by the clause every such client appends.
/// </summary>
public static class RegistrySearch
{
    public const string PromptTag = "mlflow.prompt.is_prompt";
    private const int MaxModelResults = 1000;
    private const int MaxVersionResults = 200_000;

    public static async Task<(List<RegisteredModel> Page, string? Next)> ModelsAsync(CairnDb db, RegistrySearchRequest request, CancellationToken cancellationToken)
    {
        var pageSize = PageSize(request.MaxResults, 100, MaxModelResults);
        var offset = PageToken.Decode(request.PageToken);
        IQueryable<RegisteredModel> query = db.RegisteredModels.AsNoTracking();
        foreach (var clause in SearchFilterParser.ParseFilter(request.Filter))
        {
            query = query.Where(ModelPredicate(db, clause));
        }

        var ids = await OrderModels(query, request.OrderBy ?? []).Skip(offset).Take(pageSize).Select(m => m.Id).ToListAsync(cancellationToken);
        var rows = (await db.RegisteredModels.AsNoTracking().Where(m => ids.Contains(m.Id))
            .Include(m => m.Tags).Include(m => m.Aliases).AsSplitQuery().ToListAsync(cancellationToken))
            .ToDictionary(m => m.Id);
        return ([.. ids.Select(id => rows[id])], PageToken.Next(offset, pageSize, ids.Count));
    }

    public static async Task<(List<ModelVersion> Page, string? Next)> VersionsAsync(CairnDb db, RegistrySearchRequest request, CancellationToken cancellationToken)
    {
        var pageSize = PageSize(request.MaxResults, 10_000, MaxVersionResults);
        var offset = PageToken.Decode(request.PageToken);
        var query = db.ModelVersions.AsNoTracking().Where(v => !v.Deleted);
        foreach (var clause in SearchFilterParser.ParseFilter(request.Filter))
        {
            query = query.Where(VersionPredicate(db, clause));
        }

        // The page's ids first, then its rows: split includes would repeat the filter and sort once per table.
        var ids = await OrderVersions(query, request.OrderBy ?? []).Skip(offset).Take(pageSize).Select(v => v.Id).ToListAsync(cancellationToken);
        var rows = (await db.ModelVersions.AsNoTracking().Where(v => ids.Contains(v.Id)).Include(v => v.Tags).ToListAsync(cancellationToken))
            .ToDictionary(v => v.Id);
        // Each model once (with its aliases), however many of its versions the page holds.
        var modelIds = rows.Values.Select(v => v.ModelId).Distinct().ToArray();
        var models = await db.RegisteredModels.AsNoTracking().Where(m => modelIds.Contains(m.Id)).Include(m => m.Aliases)
            .ToDictionaryAsync(m => m.Id, cancellationToken);
        foreach (var version in rows.Values)
        {
            version.Model = models[version.ModelId];
        }

        return ([.. ids.Select(id => rows[id])], PageToken.Next(offset, pageSize, ids.Count));
    }

    private static int PageSize(long? requested, int fallback, int max)
    {
        var size = requested ?? fallback;
        return size is >= 1 && size <= max
            ? (int)size
            : throw MlflowException.InvalidParameter($"Invalid value {size} for parameter 'max_results' supplied. It must be between 1 and {max}.");
    }

    private static Expression<Func<RegisteredModel, bool>> ModelPredicate(CairnDb db, SearchClause clause)
    {
        switch (clause.Entity)
        {
            case SearchEntity.Attribute when clause.Key.Equals("name", StringComparison.OrdinalIgnoreCase):
                return Predicates.On<RegisteredModel, string>(m => m.Name, Predicates.Text(clause, "attribute", allowLists: false));
            case SearchEntity.Attribute:
                throw MlflowException.InvalidParameter($"Invalid attribute key '{clause.Key}' specified. Valid keys are ['name'].");
            case SearchEntity.Tag:
                var (tagged, negate) = TagMatch(clause, db.RegisteredModelTags, t => t.Key, t => t.Value, t => t.ModelId);
                return negate ? m => !tagged.Contains(m.Id) : m => tagged.Contains(m.Id);
            default:
                throw WrongEntity(clause, "registered models");
        }
    }

    private static Expression<Func<ModelVersion, bool>> VersionPredicate(CairnDb db, SearchClause clause)
    {
        if (clause.Entity == SearchEntity.Tag)
        {
            var (tagged, negate) = TagMatch(clause, db.ModelVersionTags, t => t.Key, t => t.Value, t => t.ModelVersionId);
            return negate ? v => !tagged.Contains(v.Id) : v => tagged.Contains(v.Id);
        }

        if (clause.Entity != SearchEntity.Attribute)
        {
            throw WrongEntity(clause, "model versions");
        }

        return clause.Key.ToLowerInvariant() switch
        {
            "name" => Predicates.On<ModelVersion, string>(v => v.Model.Name, Predicates.Text(clause, "attribute", allowLists: false)),
            "run_id" => Predicates.On<ModelVersion, string>(v => v.RunId!, Predicates.Text(clause, "attribute", allowLists: true)),
            "source_path" => Predicates.On<ModelVersion, string>(v => v.Source, Predicates.Text(clause, "attribute", allowLists: false)),
            "version_number" => Predicates.On<ModelVersion, long>(v => v.Version, Predicates.Number<long>(clause, "attribute")),
            _ => throw MlflowException.InvalidParameter(
                $"Invalid attribute key '{clause.Key}' specified. Valid keys are ['name', 'run_id', 'source_path', 'version_number']."),
        };
    }

    /// <summary>
    /// The ids of the entities whose tag matches the clause, as a subquery the (key, value, id) index answers; and
    /// whether the match is negated (the prompt rule: "not a prompt" is "no tag saying it is").
    /// </summary>
    private static (IQueryable<int> Ids, bool Negate) TagMatch<TTag>(
        SearchClause clause,
        IQueryable<TTag> tags,
        Expression<Func<TTag, string>> key,
        Expression<Func<TTag, string>> value,
        Expression<Func<TTag, int>> owner)
    {
        var name = clause.Key;
        var sameKey = Predicates.On(key, (Expression<Func<string, bool>>)(k => k == name));
        if (name == PromptTag && clause.Value is SearchValue.Text text
            && ((clause.Comparator == "!=" && text.Value == "true") || (clause.Comparator == "=" && text.Value == "false")))
        {
            var contradicts = clause.Comparator == "!="
                ? Predicates.On(value, (Expression<Func<string, bool>>)(v => v == "true"))
                : Predicates.On(value, (Expression<Func<string, bool>>)(v => v != "false"));
            return (tags.Where(Predicates.And(sameKey, contradicts)).Select(owner), true);
        }

        return (tags.Where(Predicates.And(sameKey, Predicates.On(value, Predicates.Text(clause, "tag", allowLists: false)))).Select(owner), false);
    }

    private static MlflowException WrongEntity(SearchClause clause, string what) =>
        MlflowException.InvalidParameter(
            $"Invalid entity type '{clause.Entity.ToString().ToLowerInvariant()}' in the clause on '{clause.Key}': {what} can be searched by attributes and tags only.");

    private static IQueryable<RegisteredModel> OrderModels(IQueryable<RegisteredModel> query, List<string> orderBy)
    {
        IOrderedQueryable<RegisteredModel>? ordered = null;
        foreach (var text in orderBy)
        {
            var term = AttributeTerm(text);
            ordered = term.Key.ToLowerInvariant() switch
            {
                "name" => Then(query, ordered, m => m.Name, term.Ascending),
                "creation_timestamp" or "timestamp" => Then(query, ordered, m => m.CreationTime, term.Ascending),
                "last_updated_timestamp" => Then(query, ordered, m => m.LastUpdatedTime, term.Ascending),
                _ => throw MlflowException.InvalidParameter(
                    $"Invalid order_by clause '{text}': valid keys are ['name', 'creation_timestamp', 'timestamp', 'last_updated_timestamp']."),
            };
        }

        return ordered is null ? query.OrderBy(m => m.Name) : ordered.ThenBy(m => m.Name);
    }

    private static IQueryable<ModelVersion> OrderVersions(IQueryable<ModelVersion> query, List<string> orderBy)
    {
        IOrderedQueryable<ModelVersion>? ordered = null;
        foreach (var text in orderBy)
        {
            var term = AttributeTerm(text);
            ordered = term.Key.ToLowerInvariant() switch
            {
                "name" => Then(query, ordered, v => v.Model.Name, term.Ascending),
                "version_number" => Then(query, ordered, v => v.Version, term.Ascending),
                "creation_timestamp" or "timestamp" => Then(query, ordered, v => v.CreationTime, term.Ascending),
                "last_updated_timestamp" => Then(query, ordered, v => v.LastUpdatedTime, term.Ascending),
                _ => throw MlflowException.InvalidParameter(
                    $"Invalid order_by clause '{text}': valid keys are ['name', 'version_number', 'creation_timestamp', 'timestamp', 'last_updated_timestamp']."),
            };
        }

        return ordered is null
            ? query.OrderBy(v => v.Model.Name).ThenByDescending(v => v.Version)
            : ordered.ThenBy(v => v.Model.Name).ThenByDescending(v => v.Version);
    }

    private static OrderTerm AttributeTerm(string text)
    {
        var term = SearchFilterParser.ParseOrderBy(text);
        return term.Entity == SearchEntity.Attribute
            ? term
            : throw MlflowException.InvalidParameter($"Invalid order_by clause '{text}': the registry can be ordered by attributes only.");
    }

    private static IOrderedQueryable<T> Then<T, TKey>(IQueryable<T> query, IOrderedQueryable<T>? ordered, Expression<Func<T, TKey>> key, bool ascending) =>
        ordered is null
            ? ascending ? query.OrderBy(key) : query.OrderByDescending(key)
            : ascending ? ordered.ThenBy(key) : ordered.ThenByDescending(key);
}
