namespace Cairn.Server.Tracking.Search;

/// <summary>The kinds of thing a filter clause names: <c>metrics.x</c>, <c>params.x</c>, <c>tags.x</c>, <c>datasets.x</c>, or a bare attribute.</summary>
public enum SearchEntity
{
    Attribute,
    Metric,
    Param,
    Tag,
    Dataset,
}

/// <summary>A clause's right-hand side: a quoted string, a number, or a parenthesised list of strings.</summary>
public abstract record SearchValue
{
    public sealed record Text(string Value) : SearchValue;

    public sealed record Number(double Value, string Literal) : SearchValue;

    public sealed record List(IReadOnlyList<string> Values) : SearchValue;
}

/// <summary>One <c>identifier comparator value</c> clause of a filter. <see cref="Comparator"/> is upper-case (<c>=</c>, <c>LIKE</c>, <c>NOT IN</c>).</summary>
public sealed record SearchClause(SearchEntity Entity, string Key, string Comparator, SearchValue Value);

/// <summary>One <c>identifier [ASC|DESC]</c> term of an <c>order_by</c> list.</summary>
public sealed record OrderTerm(SearchEntity Entity, string Key, bool Ascending);
