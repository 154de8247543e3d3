namespace Cairn.Server.Admin.StoreMigration;

/// <summary>One table of <see cref="Data.CairnDb"/>'s model, its columns in one order for both stores, and its primary key.</summary>
public sealed record StoreTable(string Name, IReadOnlyList<StoreColumn> Columns, IReadOnlyList<string> Key)
{
    /// <summary>The table's name quoted for SQL (both stores quote identifiers the same way).</summary>
    public string Quoted => Quote(Name);

    public string ColumnList => string.Join(", ", Columns.Select(c => Quote(c.Name)));

    public string KeyOrder => string.Join(", ", Key.Select(Quote));

    public string SelectAll => $"SELECT {ColumnList} FROM {Quoted}";

    public string SelectInKeyOrder => $"{SelectAll} ORDER BY {KeyOrder}";

    public static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";
}
