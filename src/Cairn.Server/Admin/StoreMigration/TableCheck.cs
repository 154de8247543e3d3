using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using Npgsql;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>What the check of one table found: rows and SHA-256 of the canonical rows on each side, and the first row that differs.</summary>
public sealed record TableCheck(string Table, long SourceRows, long TargetRows, string SourceChecksum, string TargetChecksum, string? FirstDifference)
{
    public bool Matches => SourceRows == TargetRows && SourceChecksum == TargetChecksum;

    /// <summary>
    /// Reads both sides in primary-key order, side by side, and hashes each row's <see cref="CanonicalRow"/>. Both
    /// stores order keys alike: text by code point (PostgreSQL's "C" collation, SQLite's binary one), numbers by value.
    /// </summary>
    public static async Task<TableCheck> RunAsync(
        StoreTable table, SqliteSnapshot source, NpgsqlConnection target, Action<long> progress, CancellationToken cancellationToken)
    {
        await using var sourceSelect = source.Command(table.SourceInKeyOrder);
        await using var sourceRows = await sourceSelect.ExecuteReaderAsync(cancellationToken);
        await using var targetSelect = new NpgsqlCommand(table.TargetInKeyOrder, target) { CommandTimeout = 0 };
        await using var targetRows = await targetSelect.ExecuteReaderAsync(cancellationToken);
        using var sourceHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var targetHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var sourceRow = new CanonicalRow();
        var targetRow = new CanonicalRow();
        long sourceCount = 0, targetCount = 0;
        string? difference = null;
        while (true)
        {
            var hasSource = await sourceRows.ReadAsync(cancellationToken);
            var hasTarget = await targetRows.ReadAsync(cancellationToken);
            if (!hasSource && !hasTarget)
            {
                break;
            }

            if (hasSource)
            {
                sourceRow.Load(sourceRows, table.Columns, c => c.ReadSource);
                sourceHash.AppendData(sourceRow.Bytes);
                sourceCount++;
            }

            if (hasTarget)
            {
                targetRow.Load(targetRows, table.Columns, c => c.ReadTarget);
                targetHash.AppendData(targetRow.Bytes);
                targetCount++;
            }

            if (difference is null && (hasSource != hasTarget || !sourceRow.Bytes.SequenceEqual(targetRow.Bytes)))
            {
                difference = Describe(table, hasSource ? sourceRows : null, hasTarget ? targetRows : null, Math.Max(sourceCount, targetCount));
            }

            if (Math.Max(sourceCount, targetCount) % TableCopy.ReportEvery == 0)
            {
                progress(Math.Max(sourceCount, targetCount));
            }
        }

        progress(Math.Max(sourceCount, targetCount));
        return new(table.Name, sourceCount, targetCount, Convert.ToHexStringLower(sourceHash.GetHashAndReset()), Convert.ToHexStringLower(targetHash.GetHashAndReset()), difference);
    }

    private static string Describe(StoreTable table, DbDataReader? source, DbDataReader? target, long row)
    {
        string Key(DbDataReader reader, Func<StoreColumn, Func<DbDataReader, int, object?>> read) => string.Join(", ", table.Key.Select(name =>
        {
            var ordinal = table.Columns.ToList().FindIndex(c => c.Name == name);
            return $"{name}={Convert.ToString(read(table.Columns[ordinal])(reader, ordinal), CultureInfo.InvariantCulture)}";
        }));

        var where = string.Create(CultureInfo.InvariantCulture, $"row {row:N0} in key order");
        return (source, target) switch
        {
            ({ } s, { } t) when Key(s, c => c.ReadSource) == Key(t, c => c.ReadTarget) => $"{where} ({Key(s, c => c.ReadSource)}) has different values",
            ({ } s, { } t) => $"{where}: the source has ({Key(s, c => c.ReadSource)}), the target ({Key(t, c => c.ReadTarget)})",
            ({ } s, null) => $"{where} ({Key(s, c => c.ReadSource)}) is missing from the target",
            (null, { } t) => $"{where} ({Key(t, c => c.ReadTarget)}) is only in the target",
            _ => where,
        };
    }
}
