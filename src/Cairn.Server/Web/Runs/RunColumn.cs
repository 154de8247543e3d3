using Cairn.Server.Web.Shared;

namespace Cairn.Server.Web.Runs;

/// <summary>What a column of the runs table shows: a run attribute (user, source), a param, a latest metric or a tag.</summary>
public enum ColumnKind
{
    Attribute,
    Param,
    Metric,
    Tag,
}

/// <summary>
/// One optional column of the runs table. In the address it is written <c>kind:key</c> (<c>param:lr</c>,
/// <c>metric:val/loss</c>, <c>tag:team</c>, <c>attr:user</c>), comma-separated; MLflow keys hold no commas.
/// </summary>
public sealed record RunColumn(ColumnKind Kind, string Key) : IComparable<RunColumn>
{
    public const string UserTag = "mlflow.user";
    public const string SourceTag = "mlflow.source.name";

    public static readonly RunColumn User = new(ColumnKind.Attribute, "user");
    public static readonly RunColumn Source = new(ColumnKind.Attribute, "source");
    public static readonly IReadOnlyList<RunColumn> Attributes = [User, Source];

    private static readonly string[] Prefixes = ["attr", "param", "metric", "tag"];

    public string Id => $"{Prefixes[(int)Kind]}:{Key}";

    public string Label => Kind == ColumnKind.Attribute ? char.ToUpperInvariant(Key[0]) + Key[1..] : Key;

    /// <summary>The search's order-by key for this column.</summary>
    public string OrderKey => Kind switch
    {
        ColumnKind.Param => $"params.`{Key}`",
        ColumnKind.Metric => $"metrics.`{Key}`",
        ColumnKind.Tag => $"tags.`{Key}`",
        _ => this == User ? "attributes.user_id" : $"tags.`{SourceTag}`",
    };

    public string CssKind => Prefixes[(int)Kind];

    public string Value(RunRow row) => Kind switch
    {
        ColumnKind.Param => row.Params.GetValueOrDefault(Key, ""),
        ColumnKind.Metric => row.Metrics.TryGetValue(Key, out var value) ? Format.Number(value) : "",
        ColumnKind.Tag => row.Tags.GetValueOrDefault(Key, ""),
        _ => this == User ? row.User : row.Tags.GetValueOrDefault(SourceTag, ""),
    };

    public static RunColumn? Parse(string id)
    {
        var colon = id.IndexOf(':', StringComparison.Ordinal);
        var kind = colon > 0 ? Array.IndexOf(Prefixes, id[..colon]) : -1;
        if (kind < 0 || colon == id.Length - 1)
        {
            return null;
        }

        var column = new RunColumn((ColumnKind)kind, id[(colon + 1)..]);
        return column.Kind != ColumnKind.Attribute || Attributes.Contains(column) ? column : null;
    }

    public static List<RunColumn> ParseList(string? ids) =>
        (ids ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Parse).OfType<RunColumn>().Distinct().Order().ToList();

    public static string FormatList(IEnumerable<RunColumn> columns) => string.Join(',', columns.Order().Select(c => c.Id));

    /// <summary>Attributes first, then params, metrics and tags, each by key: the order the table and the address use.</summary>
    public int CompareTo(RunColumn? other) => other is null ? 1
        : Kind != other.Kind ? Kind.CompareTo(other.Kind)
        : Kind == ColumnKind.Attribute ? Attributes.ToList().IndexOf(this).CompareTo(Attributes.ToList().IndexOf(other))
        : string.CompareOrdinal(Key, other.Key);
}
