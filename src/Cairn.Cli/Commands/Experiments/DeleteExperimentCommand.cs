using System.CommandLine;

namespace Cairn.Cli.Commands.Experiments;

public static class DeleteExperimentCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("experiment-id") { Description = "The experiment to delete (it and its runs can be restored)." };
        var command = new Command("delete", "Delete an experiment and its runs (restorable).") { id };
        command.SetAction((parsed, cancellationToken) => context.RunAsync(async () =>
        {
            await context.ClientFor(parsed).Experiments.DeleteAsync(parsed.GetValue(id)!, cancellationToken);
            await context.Output.WriteLineAsync(context.WantsJson(parsed) ? "{}" : $"Deleted experiment {parsed.GetValue(id)}.");
            return CliContext.Success;
        }));
        return command;
    }
}
