using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cairn.Server.Admin.StoreMigration;

/// <summary>
/// Moves a single-node install from SQLite to PostgreSQL: every table of the model, ids kept, in one PostgreSQL
/// transaction that commits only after each table's rows and checksum match the source's. Any failure (bad input,
/// a lost connection, a mismatch) rolls it back and leaves the target as it was.
/// </summary>
public static class StoreMigrator
{
    public static async Task<StoreMigrationReport> MigrateAsync(
        string from, string to, IProgress<StoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sourceConnection = StoreLocations.Sqlite(from);
        var targetConnection = StoreLocations.Postgres(to);
        return await ExplainFailuresAsync(sourceConnection, targetConnection, async () =>
        {
            var clock = Stopwatch.StartNew();
            await using var sourceDb = SqliteSource.Open(sourceConnection);
            var applied = await SqliteSource.MigrateAsync(sourceDb, cancellationToken);
            await using var targetDb = PostgresTarget.Open(targetConnection);
            await PostgresTarget.PrepareAsync(targetDb, targetConnection, cancellationToken);
            var tables = StoreSchema.Read(sourceDb, targetDb);

            await using var source = await SqliteSnapshot.OpenAsync(sourceConnection, cancellationToken);
            await using var target = await PostgresTarget.ConnectAsync(targetConnection, cancellationToken);
            await using var transaction = await target.BeginTransactionAsync(cancellationToken);
            await PostgresTarget.ClaimAsync(target, tables, StoreSchema.NotSeeded(targetDb), targetConnection, cancellationToken);
            var copied = new List<(StoreTable Table, long Rows, TimeSpan Time)>();
            foreach (var table in tables)
            {
                var total = await source.CountAsync(table, cancellationToken);
                var tableClock = Stopwatch.StartNew();
                var rows = await TableCopy.RunAsync(table, source, target, Reporter(progress, table, StorePhase.Copy, total, tableClock), cancellationToken);
                copied.Add((table, rows, tableClock.Elapsed));
            }

            await PostgresTarget.ResetSequencesAsync(target, tables, cancellationToken);
            var checks = await CheckAsync(copied.Select(c => (c.Table, c.Rows)), source, target, progress, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            var reports = copied.Zip(checks, (c, check) => new TableReport(c.Table.Name, c.Rows, c.Time, check.SourceChecksum)).ToList();
            return new StoreMigrationReport(reports, applied, clock.Elapsed);
        });
    }

    /// <summary>Checks an existing target against the source, table by table, without writing to either.</summary>
    public static async Task<IReadOnlyList<TableCheck>> VerifyAsync(
        string from, string to, IProgress<StoreProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var sourceConnection = StoreLocations.Sqlite(from);
        var targetConnection = StoreLocations.Postgres(to);
        return await ExplainFailuresAsync(sourceConnection, targetConnection, async () =>
        {
            await using var sourceDb = SqliteSource.Open(sourceConnection);
            await using var targetDb = PostgresTarget.Open(targetConnection);
            var tables = StoreSchema.Read(sourceDb, targetDb);
            await using var source = await SqliteSnapshot.OpenAsync(sourceConnection, cancellationToken);
            await using var target = await PostgresTarget.ConnectAsync(targetConnection, cancellationToken);
            var counted = new List<(StoreTable, long)>();
            foreach (var table in tables)
            {
                counted.Add((table, await source.CountAsync(table, cancellationToken)));
            }

            return await CheckAsync(counted, source, target, progress, cancellationToken, throwOnMismatch: false);
        });
    }

    private static async Task<List<TableCheck>> CheckAsync(
        IEnumerable<(StoreTable Table, long Rows)> tables, SqliteSnapshot source, NpgsqlConnection target, IProgress<StoreProgress>? progress,
        CancellationToken cancellationToken, bool throwOnMismatch = true)
    {
        var checks = new List<TableCheck>();
        foreach (var (table, rows) in tables)
        {
            checks.Add(await TableCheck.RunAsync(table, source, target, Reporter(progress, table, StorePhase.Check, rows, Stopwatch.StartNew()), cancellationToken));
        }

        var failed = checks.Where(c => !c.Matches).ToList();
        return failed.Count == 0 || !throwOnMismatch
            ? checks
            : throw new StoreMigrationException(
                $"The copy does not match the source, so nothing was kept: {string.Join("; ", failed.Select(f => $"{f.Table}: {f.SourceRows:N0} rows in the source, {f.TargetRows:N0} in the target, {f.FirstDifference}"))}.");
    }

    private static Action<long> Reporter(IProgress<StoreProgress>? progress, StoreTable table, StorePhase phase, long total, Stopwatch clock) =>
        rows => progress?.Report(new StoreProgress(table.Name, phase, rows, total, clock.Elapsed));

    /// <summary>Turns driver errors into messages that name the side they came from.</summary>
    private static async Task<T> ExplainFailuresAsync<T>(string sourceConnection, string targetConnection, Func<Task<T>> work)
    {
        try
        {
            return await work();
        }
        catch (Exception e) when ((e as NpgsqlException ?? e.InnerException as NpgsqlException) is { } npgsql)
        {
            // EF's retrying strategy wraps a connection failure in an InvalidOperationException of its own.
            var reason = npgsql.InnerException is System.Net.Sockets.SocketException socket ? $"{npgsql.Message} ({socket.Message})" : npgsql.Message;
            throw new StoreMigrationException($"--to: PostgreSQL at {PostgresTarget.Describe(targetConnection)} failed, and no rows were kept there: {reason}", e);
        }
        catch (SqliteException e)
        {
            throw new StoreMigrationException($"--from: the SQLite database '{new SqliteConnectionStringBuilder(sourceConnection).DataSource}' could not be read: {e.Message}", e);
        }
    }
}
