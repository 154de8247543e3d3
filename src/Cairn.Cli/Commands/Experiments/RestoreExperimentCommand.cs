using System.CommandLine;

namespace Cairn.Cli.Commands.Experiments;

public static class RestoreExperimentCommand
{
    public static Command Create(CliContext context) => IdCommand.Create(
        context, "restore", "Restore a deleted experiment and its runs.", "experiment-id", "The deleted experiment to restore.",
        (client, id, ct) => client.Experiments.RestoreAsync(id, ct), id => $"Restored experiment {id}.");
}
