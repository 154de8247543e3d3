using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Cairn.Cli.Commands.Runs;

public static class ShowRunCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("run-id") { Description = "The run to show." };
        var command = new Command("show", "Show a run: its info, params, latest metrics, tags and inputs.") { id };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var run = await context.ClientFor(parsed).Runs.GetAsync(parsed.GetValue(id)!, cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(run);
                return CliContext.Success;
            }

            var table = new Table().AddColumns("FIELD", "VALUE");
            table.AddRow("run id", run.Id).AddRow("name", Markup.Escape(run.Name)).AddRow("experiment", run.ExperimentId)
                .AddRow("user", Markup.Escape(run.UserId))
                .AddRow("status", run.Status.ToString().ToUpperInvariant())
                .AddRow("started", run.StartTime.ToString("u", CultureInfo.InvariantCulture))
                .AddRow("ended", run.EndTime?.ToString("u", CultureInfo.InvariantCulture) ?? "")
                .AddRow("artifacts", Markup.Escape(run.ArtifactUri));
            foreach (var (key, value) in run.Params.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape($"param {key}"), Markup.Escape(value));
            }

            foreach (var (key, metric) in run.Metrics.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape($"metric {key}"), $"{RunTable.Format(metric.Value)} (step {metric.Step})");
            }

            foreach (var (key, value) in run.Tags.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape($"tag {key}"), Markup.Escape(value));
            }

            foreach (var input in run.Inputs)
            {
                table.AddRow("input", Markup.Escape($"{input.Name} ({input.Digest}) {input.Context}"));
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }
}
