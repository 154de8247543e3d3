using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace Cairn.Cli.Commands.Admin;

/// <summary>
/// <c>cairn admin gc</c>: removes runs deleted longer ago than a retention period, with their files, and reports what
/// it freed. Unlike <c>mlflow gc</c>, which purges every deleted run unless told otherwise, the retention defaults to
/// 30 days, so a run deleted by mistake stays restorable; <c>--older-than 0s</c> purges them all.
/// </summary>
public static partial class GcCommand
{
    public const string DefaultRetention = "30d";

    [GeneratedRegex(@"^(?:(?<d>\d+)d)?(?:(?<h>\d+)h)?(?:(?<m>\d+)m)?(?:(?<s>\d+)s)?$")]
    private static partial Regex DurationFormat();

    public static Command Create(CliContext context)
    {
        var olderThan = new Option<string>("--older-than")
        {
            Description = $"Only runs deleted at least this long ago, as in mlflow gc: 30d, 12h, 1d2h30m, 90s. Default: {DefaultRetention} "
                + "(mlflow gc's default is every deleted run; pass 0s for that).",
            DefaultValueFactory = _ => DefaultRetention,
        };
        var dryRun = new Option<bool>("--dry-run") { Description = "Report what would be removed and remove nothing." };
        var runIds = new Option<string[]>("--run-ids") { Description = "Only these deleted runs.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("gc", $"Remove runs deleted {DefaultRetention} or more ago (see --older-than) for good: their artifacts, metrics, params and tags.") { olderThan, dryRun, runIds };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var olderThanText = parsed.GetValue(olderThan)!;
            var retention = Duration(olderThanText);
            var ids = parsed.GetValue(runIds) is { Length: > 0 } given ? given.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToArray() : null;
            var report = await context.ClientFor(parsed).Admin.CollectGarbageAsync(retention, parsed.GetValue(dryRun), ids, cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(report);
                return CliContext.Success;
            }

            var table = new Table().AddColumns("RUN", "NAME", "DELETED (UTC)", "FILES", "BYTES", "RESULT");
            foreach (var run in report.Runs)
            {
                table.AddRow(
                    run.RunId,
                    Markup.Escape(run.RunName),
                    run.DeletedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                    run.Files.ToString("N0", CultureInfo.InvariantCulture),
                    run.Bytes.ToString("N0", CultureInfo.InvariantCulture),
                    Markup.Escape(run.KeptBecause is null ? report.DryRun ? "would remove" : "removed" : $"kept: {run.KeptBecause}"));
            }

            if (report.Runs.Count > 0)
            {
                context.WriteTable(table);
            }

            var removed = report.Runs.Count(r => r.KeptBecause is null);
            await context.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{(report.DryRun ? "would free" : "freed")} {removed} runs, {report.FreedFiles:N0} files, {report.FreedBytes:N0} bytes (runs deleted {olderThanText.Trim()} or more ago)"));
            return CliContext.Success;
        });
        return command;
    }

    /// <summary>Parses mlflow gc's duration form (<c>1d2h3m4s</c>, any part optional).</summary>
    public static TimeSpan Duration(string text)
    {
        var match = DurationFormat().Match(text.Trim());
        if (text.Trim().Length == 0 || !match.Success)
        {
            throw new ArgumentException($"--older-than '{text}' is not a duration such as 30d, 12h, 1d2h30m or 90s.");
        }

        long Part(string name) => match.Groups[name].Success ? long.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0;
        return TimeSpan.FromDays(Part("d")) + TimeSpan.FromHours(Part("h")) + TimeSpan.FromMinutes(Part("m")) + TimeSpan.FromSeconds(Part("s"));
    }
}
