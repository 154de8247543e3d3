using System.CommandLine;

namespace Cairn.Cli.Commands.Experiments;

public static class RestoreExperimentCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("experiment-id") { Description = "The deleted experiment to restore." };
        var command = new Command("restore", "Restore a deleted experiment and its runs.") { id };
        command.SetAction((parsed, cancellationToken) => context.RunAsync(async () =>
        {
            await context.ClientFor(parsed).Experiments.RestoreAsync(parsed.GetValue(id)!, cancellationToken);
            await context.Output.WriteLineAsync(context.WantsJson(parsed) ? "{}" : $"Restored experiment {parsed.GetValue(id)}.");
            return CliContext.Success;
        }));
        return command;
    }
}
