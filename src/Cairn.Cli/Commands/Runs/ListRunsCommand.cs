using System.CommandLine;

namespace Cairn.Cli.Commands.Runs;

public static class ListRunsCommand
{
    public static Command Create(CliContext context)
    {
        var experiment = new Option<string>("--experiment") { Description = "The experiment whose runs to list.", Required = true };
        var max = new Option<int>("--max") { Description = "At most this many runs, newest first.", DefaultValueFactory = _ => 100 };
        var command = new Command("list", "List the runs of an experiment, newest first.") { experiment, max };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var client = context.ClientFor(parsed);
            await KnownExperiments.EnsureAsync(client, [parsed.GetValue(experiment)!], cancellationToken);
            var page = await client.Runs.SearchAsync(
                [parsed.GetValue(experiment)!], maxResults: parsed.GetValue(max), cancellationToken: cancellationToken);
            RunTable.Write(context, context.WantsJson(parsed), page.Items);
            return CliContext.Success;
        });
        return command;
    }
}
