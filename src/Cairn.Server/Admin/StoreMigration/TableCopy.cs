using Npgsql;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// Streams one table from a SQLite reader into a PostgreSQL binary COPY, a row at a time: no table is ever held in
/// memory. A table kept differently on PostgreSQL goes through its staging table (<see cref="StoreTable.Staged"/>).
/// </summary>
public static class TableCopy
{
    /// <summary>How often, in rows, the copy reports how far it is.</summary>
    public const int ReportEvery = 10_000;

    public static async Task<long> RunAsync(
        StoreTable table, SqliteSnapshot source, NpgsqlConnection target, Action<long> progress, CancellationToken cancellationToken)
    {
        if (table.Staged is { } staged)
        {
            await ExecuteAsync(target, staged.Create, cancellationToken);
        }

        var rows = await CopyRowsAsync(table, source, target, progress, cancellationToken);
        if (table.Staged is { } done)
        {
            await ExecuteAsync(target, done.Insert, cancellationToken);
        }

        return rows;
    }

    private static async Task<long> CopyRowsAsync(
        StoreTable table, SqliteSnapshot source, NpgsqlConnection target, Action<long> progress, CancellationToken cancellationToken)
    {
        await using var select = source.Command(table.SourceSelectAll);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        var into = table.Staged is { } staged ? StoreTable.Quote(staged.Table) : table.Quoted;
        await using var importer = await target.BeginBinaryImportAsync($"COPY {into} ({table.ColumnList}) FROM STDIN (FORMAT BINARY)", cancellationToken);
        importer.Timeout = Timeout.InfiniteTimeSpan;
        long rows = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            await importer.StartRowAsync(cancellationToken);
            for (var i = 0; i < table.Columns.Count; i++)
            {
                await table.Columns[i].CopyAsync(reader, i, importer, cancellationToken);
            }

            if (++rows % ReportEvery == 0)
            {
                progress(rows);
            }
        }

        await importer.CompleteAsync(cancellationToken);
        progress(rows);
        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
