using System.Linq.Expressions;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Search;

/// <summary>
/// Builds EF-translatable predicates for filter clauses. Values are captured in closures, so EF sends them as
/// SQL parameters and caches one plan per query shape.
/// </summary>
public static class Predicates
{
    /// <summary>A string comparison: <c>= != LIKE ILIKE IN NOT IN</c>. LIKE is case-sensitive, ILIKE is not.</summary>
    public static Expression<Func<string, bool>> Text(SearchClause clause, string what, bool allowLists)
    {
        if (clause.Value is SearchValue.List list)
        {
            if (!allowLists || clause.Comparator is not ("IN" or "NOT IN"))
            {
                throw Invalid(clause, what, allowLists ? "a list is only allowed with IN and NOT IN" : "lists are not supported");
            }

            if (list.Values.Count == 0)
            {
                throw Invalid(clause, what, "the list is empty");
            }

            var values = list.Values.ToArray();
            return clause.Comparator == "IN" ? s => values.Contains(s) : s => !values.Contains(s);
        }

        if (clause.Comparator is "IN" or "NOT IN")
        {
            throw Invalid(clause, what, allowLists ? $"{clause.Comparator} needs a parenthesised list of quoted strings, such as ('a', 'b')" : $"{clause.Comparator} is not supported here");
        }

        var value = clause.Value is SearchValue.Text text
            ? text.Value
            : throw Invalid(clause, what, "expected a quoted string value");
        var folded = value.ToLowerInvariant();
        return clause.Comparator switch
        {
            "=" => s => s == value,
            "!=" => s => s != value,
            "LIKE" => s => EF.Functions.Like(s, value),
            "ILIKE" => s => EF.Functions.Like(CairnDb.FoldCase(s), folded),
            _ => throw Invalid(clause, what, $"comparator '{clause.Comparator}' is not one of =, !=, LIKE, ILIKE{(allowLists ? ", IN, NOT IN" : "")}"),
        };
    }

    /// <summary>A numeric comparison: <c>= != &gt; &gt;= &lt; &lt;=</c>.</summary>
    public static Expression<Func<T, bool>> Number<T>(SearchClause clause, string what) where T : IComparable<T>
    {
        if (clause.Value is not SearchValue.Number number)
        {
            throw Invalid(clause, what, "expected a numeric value");
        }

        return typeof(T) == typeof(long)
            ? (Expression<Func<T, bool>>)(object)Int64(clause, what, number.Value)
            : (Expression<Func<T, bool>>)(object)Double(clause, what, number.Value);
    }

    private static Expression<Func<long, bool>> Int64(SearchClause clause, string what, double raw)
    {
        if (raw != Math.Floor(raw))
        {
            throw Invalid(clause, what, "expected an integer value");
        }

        var value = (long)raw;
        return clause.Comparator switch
        {
            "=" => x => x == value,
            "!=" => x => x != value,
            ">" => x => x > value,
            ">=" => x => x >= value,
            "<" => x => x < value,
            "<=" => x => x <= value,
            _ => throw Invalid(clause, what, $"comparator '{clause.Comparator}' is not one of =, !=, >, >=, <, <="),
        };
    }

    private static Expression<Func<double, bool>> Double(SearchClause clause, string what, double value) => clause.Comparator switch
    {
        "=" => x => x == value,
        "!=" => x => x != value,
        ">" => x => x > value,
        ">=" => x => x >= value,
        "<" => x => x < value,
        "<=" => x => x <= value,
        _ => throw Invalid(clause, what, $"comparator '{clause.Comparator}' is not one of =, !=, >, >=, <, <="),
    };

    /// <summary>Applies <paramref name="test"/> to what <paramref name="selector"/> picks: <c>x =&gt; test(selector(x))</c>.</summary>
    public static Expression<Func<T, bool>> On<T, TValue>(Expression<Func<T, TValue>> selector, Expression<Func<TValue, bool>> test)
    {
        var body = new Replace(test.Parameters[0], selector.Body).Visit(test.Body)!;
        return Expression.Lambda<Func<T, bool>>(body, selector.Parameters);
    }

    public static Expression<Func<T, bool>> And<T>(Expression<Func<T, bool>> left, Expression<Func<T, bool>> right)
    {
        var body = new Replace(right.Parameters[0], left.Parameters[0]).Visit(right.Body)!;
        return Expression.Lambda<Func<T, bool>>(Expression.AndAlso(left.Body, body), left.Parameters);
    }

    public static Expression<Func<T, bool>> Or<T>(Expression<Func<T, bool>> left, Expression<Func<T, bool>> right)
    {
        var body = new Replace(right.Parameters[0], left.Parameters[0]).Visit(right.Body)!;
        return Expression.Lambda<Func<T, bool>>(Expression.OrElse(left.Body, body), left.Parameters);
    }

    /// <summary><c>parent =&gt; parent.Children.Any(predicate)</c>.</summary>
    public static Expression<Func<TParent, bool>> Any<TParent, TChild>(
        Expression<Func<TParent, IEnumerable<TChild>>> children, Expression<Func<TChild, bool>> predicate)
    {
        var any = Expression.Call(typeof(Enumerable), nameof(Enumerable.Any), [typeof(TChild)], children.Body, predicate);
        return Expression.Lambda<Func<TParent, bool>>(any, children.Parameters);
    }

    public static MlflowException Invalid(SearchClause clause, string what, string why) =>
        MlflowException.InvalidParameter($"Invalid clause on {what} '{clause.Key}' ({clause.Comparator}): {why}.");

    private sealed class Replace(Expression from, Expression to) : ExpressionVisitor
    {
        public override Expression? Visit(Expression? node) => node == from ? to : base.Visit(node);
    }
}
