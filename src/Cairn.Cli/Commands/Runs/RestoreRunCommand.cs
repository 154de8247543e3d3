using System.CommandLine;

namespace Cairn.Cli.Commands.Runs;

public static class RestoreRunCommand
{
    public static Command Create(CliContext context) => IdCommand.Create(
        context, "restore", "Restore a deleted run (until admin gc removes it for good).", "run-id", "The deleted run to restore.",
        async (client, id, ct) =>
        {
            if (!(await client.Runs.GetAsync(id, ct)).IsDeleted)
            {
                throw new ServerStateException($"Run {id} is not deleted; there is nothing to restore.");
            }

            await client.Runs.RestoreAsync(id, ct);
        },
        id => $"Restored run {id}.");
}
