using System.CommandLine;
using System.Globalization;
using Cairn.Server.Admin.StoreMigration;
using Cairn.Server.Hosting;
using Spectre.Console;

namespace Cairn.Cli.Commands.Admin;

/// <summary><c>cairn admin migrate-store</c>: moves a single-node install from SQLite to PostgreSQL and proves the copy is whole.</summary>
public static class MigrateStoreCommand
{
    public static Command Create(CliContext context)
    {
        var from = new Option<string>("--from") { Description = "The install's SQLite database: its file (./cairn-data/cairn.db) or its data folder.", Required = true };
        var to = new Option<string>("--to") { Description = "An empty PostgreSQL database, as --database takes it: 'Host=…;Database=…;Username=…' or postgres://…; created if missing.", Required = true };
        var verifyOnly = new Option<bool>("--verify-only") { Description = "Write nothing: compare rows and checksums of an earlier copy with the source." };
        var command = new Command("migrate-store", "Copy every table from SQLite to PostgreSQL, ids kept, and verify counts and checksums. Stop the server first.")
        {
            from, to, verifyOnly,
        };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            string source = parsed.GetValue(from)!, target = parsed.GetValue(to)!;
            try
            {
                // Bad input is a usage error (1); what goes wrong once both stores are open is a store error (2).
                StoreLocations.Sqlite(source);
                StoreLocations.Postgres(target);
            }
            catch (StoreMigrationException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}");
                return CliContext.UsageError;
            }

            try
            {
                return parsed.GetValue(verifyOnly)
                    ? await VerifyAsync(context, parsed, source, target, cancellationToken)
                    : await MigrateAsync(context, parsed, source, target, cancellationToken);
            }
            catch (StoreMigrationException e)
            {
                await context.Error.WriteLineAsync($"error: {e.Message}");
                return CliContext.ServerError;
            }
        });
        return command;
    }

    private static async Task<int> MigrateAsync(CliContext context, ParseResult parsed, string source, string target, CancellationToken cancellationToken)
    {
        var report = await StoreProgressDisplay.RunAsync(context.Error, progress => StoreMigrator.MigrateAsync(source, target, progress, cancellationToken));
        if (context.WantsJson(parsed))
        {
            context.WriteJson(report);
            return CliContext.Success;
        }

        var table = new Table().AddColumns("TABLE", "ROWS", "ROWS/S", "SHA-256", "CHECK");
        foreach (var t in report.Tables)
        {
            table.AddRow(t.Table, Number(t.Rows), Number(t.RowsPerSecond), t.Checksum[..16], "OK");
        }

        context.WriteTable(table);
        if (report.SourceMigrationsApplied.Count > 0)
        {
            await context.Output.WriteLineAsync($"brought the source to the current schema first: {string.Join(", ", report.SourceMigrationsApplied)}");
        }

        await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"moved {report.Rows:N0} rows in {report.Tables.Count} tables in {report.Elapsed.TotalSeconds:0.0} s; every table's rows and checksum match."));
        await context.Output.WriteLineAsync($"Start the server with --database \"{DatabaseSettings.Redact(target)}\".");
        return CliContext.Success;
    }

    private static async Task<int> VerifyAsync(CliContext context, ParseResult parsed, string source, string target, CancellationToken cancellationToken)
    {
        var checks = await StoreProgressDisplay.RunAsync(context.Error, progress => StoreMigrator.VerifyAsync(source, target, progress, cancellationToken));
        if (context.WantsJson(parsed))
        {
            context.WriteJson(checks);
        }
        else
        {
            var table = new Table().AddColumns("TABLE", "SOURCE ROWS", "TARGET ROWS", "SHA-256", "CHECK");
            foreach (var c in checks)
            {
                table.AddRow(c.Table, Number(c.SourceRows), Number(c.TargetRows), c.SourceChecksum[..16], Markup.Escape(c.Matches ? "OK" : $"DIFFERS: {c.FirstDifference}"));
            }

            context.WriteTable(table);
        }

        var failed = checks.Count(c => !c.Matches);
        await (failed == 0 ? context.Output : context.Error).WriteLineAsync(failed == 0 ? "every table's rows and checksum match." : $"error: {failed} tables differ from the source.");
        return failed == 0 ? CliContext.Success : CliContext.ServerError;
    }

    private static string Number(double value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
