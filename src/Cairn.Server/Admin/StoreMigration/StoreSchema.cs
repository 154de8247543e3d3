using System.Globalization;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// The tables to move, read from the two stores' EF models rather than listed by hand, so a table added to
/// <see cref="CairnDb"/> is moved (and checked) without anyone remembering to. Parents come before the tables
/// that reference them, so every row's foreign keys hold when it is copied.
/// </summary>
public static class StoreSchema
{
    public static IReadOnlyList<StoreTable> Read(SqliteCairnDb source, PostgresCairnDb target)
    {
        var sourceTables = source.Model.GetRelationalModel().Tables.ToDictionary(t => t.Name, StringComparer.Ordinal);
        return ParentsFirst(target.Model.GetRelationalModel().Tables)
            .Select(table =>
            {
                if (table.Name == MetricPointsTable.TargetName)
                {
                    return MetricPointsTable.Of(sourceTables["metrics"], target.GetService<IRelationalTypeMappingSource>());
                }

                var twin = sourceTables.GetValueOrDefault(table.Name)
                    ?? throw new InvalidOperationException($"The table {table.Name} is in the PostgreSQL model but not in the SQLite one.");
                var columns = table.Columns
                    .Select(c => new StoreColumn(c.Name, Mapping(twin.FindColumn(c.Name) ?? throw new InvalidOperationException($"{table.Name}.{c.Name} is not in the SQLite model.")), Mapping(c)))
                    .ToList();
                var key = table.PrimaryKey?.Columns.Select(c => c.Name).ToList() ?? throw new InvalidOperationException($"The table {table.Name} has no primary key.");
                return new StoreTable(table.Name, columns, key);
            })
            .ToList();
    }

    /// <summary>
    /// For each table, a SQL condition true of the rows a freshly migrated store does not hold by itself: every row,
    /// except MLflow's default experiment (id 0, inserted by the first migration) and the model's seed rows.
    /// </summary>
    public static IReadOnlyDictionary<string, string> NotSeeded(PostgresCairnDb target)
    {
        var seeds = new Dictionary<string, List<string>>(StringComparer.Ordinal) { ["experiments"] = ["\"id\" <> 0"] };
        foreach (var entity in target.GetService<IDesignTimeModel>().Model.GetEntityTypes())
        {
            if (entity.GetTableName() is not { } table || entity.FindPrimaryKey() is not { Properties: [var key] })
            {
                continue;
            }

            foreach (var row in entity.GetSeedData())
            {
                var value = Convert.ToString(row[key.Name], CultureInfo.InvariantCulture)!.Replace("'", "''", StringComparison.Ordinal);
                seeds.TryAdd(table, []);
                seeds[table].Add($"{StoreTable.Quote(key.GetColumnName())} <> '{value}'");
            }
        }

        return seeds.ToDictionary(s => s.Key, s => string.Join(" AND ", s.Value), StringComparer.Ordinal);
    }

    private static RelationalTypeMapping Mapping(IColumn column) => column.PropertyMappings[0].TypeMapping;

    private static List<ITable> ParentsFirst(IEnumerable<ITable> tables)
    {
        var ordered = new List<ITable>();
        var placed = new HashSet<string>(StringComparer.Ordinal);
        void Place(ITable table, HashSet<string> visiting)
        {
            if (placed.Contains(table.Name) || !visiting.Add(table.Name))
            {
                return;
            }

            foreach (var parent in table.ForeignKeyConstraints.Select(f => f.PrincipalTable).Where(p => p.Name != table.Name))
            {
                Place(parent, visiting);
            }

            placed.Add(table.Name);
            ordered.Add(table);
        }

        foreach (var table in tables.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            Place(table, []);
        }

        return ordered;
    }
}
