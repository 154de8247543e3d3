using System.CommandLine;
using System.Globalization;
using Spectre.Console;

namespace Cairn.Cli.Commands.Artifacts;

public static class ListArtifactsCommand
{
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("run-id") { Description = "The run whose artifacts to list." };
        var path = new Argument<string?>("path") { Description = "A folder under the run's artifact root.", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("ls", "List one folder of a run's artifacts.") { runId, path };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var files = await context.ClientFor(parsed).Artifacts.ListAsync(parsed.GetValue(runId)!, parsed.GetValue(path), cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(files);
                return CliContext.Success;
            }

            var table = new Table().AddColumns("PATH", "SIZE");
            foreach (var file in files)
            {
                table.AddRow(Markup.Escape(file.IsDirectory ? file.Path + "/" : file.Path), file.Size?.ToString("N0", CultureInfo.InvariantCulture) ?? "");
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }
}
