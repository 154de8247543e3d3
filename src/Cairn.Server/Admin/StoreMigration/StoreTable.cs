namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// One table of <see cref="Data.CairnDb"/>'s model, its columns in one order for both stores, and its primary key.
/// Usually both stores keep the rows alike; where they do not (metric points: a row each on SQLite, segments on
/// PostgreSQL), <see cref="SourceName"/>, <see cref="Staged"/> and <see cref="TargetRows"/> say how to move and check them.
/// </summary>
public sealed record StoreTable(string Name, IReadOnlyList<StoreColumn> Columns, IReadOnlyList<string> Key)
{
    /// <summary>SQLite's table holding the rows.</summary>
    public string SourceName { get; init; } = Name;

    /// <summary>How the rows reach PostgreSQL when not by a COPY straight into <see cref="Name"/>.</summary>
    public StagedCopy? Staged { get; init; }

    /// <summary>A query giving the target's rows in the source's shape, for the check; the table itself when null.</summary>
    public string? TargetRows { get; init; }

    /// <summary>The table's name quoted for SQL (both stores quote identifiers the same way).</summary>
    public string Quoted => Quote(Name);

    public string ColumnList => string.Join(", ", Columns.Select(c => Quote(c.Name)));

    public string KeyOrder => string.Join(", ", Key.Select(Quote));

    public string SourceSelectAll => $"SELECT {ColumnList} FROM {Quote(SourceName)}";

    public string SourceInKeyOrder => $"{SourceSelectAll} ORDER BY {KeyOrder}";

    public string TargetInKeyOrder => $"SELECT {ColumnList} FROM {(TargetRows is null ? Quoted : $"({TargetRows}) AS t")} ORDER BY {KeyOrder}";

    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}

/// <summary>A copy through a staging table: <see cref="Create"/> makes it, COPY fills <see cref="Table"/>, <see cref="Insert"/> moves its rows into place.</summary>
public sealed record StagedCopy(string Create, string Table, string Insert);
