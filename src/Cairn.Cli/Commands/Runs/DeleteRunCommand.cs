using System.CommandLine;

namespace Cairn.Cli.Commands.Runs;

public static class DeleteRunCommand
{
    public static Command Create(CliContext context) => IdCommand.Create(
        context, "delete", "Delete a run (restorable).", "run-id", "The run to delete.",
        (client, id, ct) => client.Runs.DeleteAsync(id, ct), id => $"Deleted run {id}.");
}
