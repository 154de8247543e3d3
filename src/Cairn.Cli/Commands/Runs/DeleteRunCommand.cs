using System.CommandLine;

namespace Cairn.Cli.Commands.Runs;

public static class DeleteRunCommand
{
    public static Command Create(CliContext context)
    {
        var id = new Argument<string>("run-id") { Description = "The run to delete (restorable)." };
        var command = new Command("delete", "Delete a run (restorable).") { id };
        command.SetAction((parsed, cancellationToken) => context.RunAsync(async () =>
        {
            await context.ClientFor(parsed).Runs.DeleteAsync(parsed.GetValue(id)!, cancellationToken);
            await context.Output.WriteLineAsync(context.WantsJson(parsed) ? "{}" : $"Deleted run {parsed.GetValue(id)}.");
            return CliContext.Success;
        }));
        return command;
    }
}
