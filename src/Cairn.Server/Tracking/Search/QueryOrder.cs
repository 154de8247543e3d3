using System.Linq.Expressions;

namespace Cairn.Server.Tracking.Search;

/// <summary>Appends one sort key to a query's ordering: the first key orders, later ones break its ties.</summary>
public static class QueryOrder
{
    public static IOrderedQueryable<T> Then<T, TKey>(IQueryable<T> query, IOrderedQueryable<T>? ordered, Expression<Func<T, TKey>> key, bool ascending) =>
        ordered is null
            ? ascending ? query.OrderBy(key) : query.OrderByDescending(key)
            : ascending ? ordered.ThenBy(key) : ordered.ThenByDescending(key);
}
