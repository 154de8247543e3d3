using System.CommandLine;

namespace Cairn.Cli.Commands.Experiments;

public static class RestoreExperimentCommand
{
    public static Command Create(CliContext context) => IdCommand.Create(
        context, "restore", "Restore a deleted experiment and its runs.", "experiment-id", "The deleted experiment to restore.",
        async (client, id, ct) =>
        {
            // MLflow answers RESOURCE_DOES_NOT_EXIST for an experiment that is not deleted; asking first gives the
            // same failure from any server, instead of "Restored" for what was never gone.
            if (!(await client.Experiments.GetAsync(id, ct)).IsDeleted)
            {
                throw new ServerStateException($"Experiment {id} is not deleted; there is nothing to restore.");
            }

            await client.Experiments.RestoreAsync(id, ct);
        },
        id => $"Restored experiment {id}.");
}
