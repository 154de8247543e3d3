using System.CommandLine;

namespace Cairn.Cli.Commands.Experiments;

public static class DeleteExperimentCommand
{
    public static Command Create(CliContext context) => IdCommand.Create(
        context, "delete", "Delete an experiment and its runs (restorable).", "experiment-id", "The experiment to delete.",
        (client, id, ct) => client.Experiments.DeleteAsync(id, ct), id => $"Deleted experiment {id}.");
}
