using System.CommandLine;

namespace Cairn.Cli.Commands.Models;

public static class DeleteAliasCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var alias = new Argument<string>("alias") { Description = "The alias to delete." };
        var command = new Command("delete", "Delete an alias (the version stays).") { name, alias };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var client = context.ClientFor(parsed);

            // Deleting an alias the model does not have succeeds on the server today; resolving it first
            // makes a mistyped alias fail with RESOURCE_DOES_NOT_EXIST instead of reporting a deletion.
            await client.Models.ResolveAliasAsync(parsed.GetValue(name)!, parsed.GetValue(alias)!, cancellationToken);
            await client.Models.DeleteAliasAsync(parsed.GetValue(name)!, parsed.GetValue(alias)!, cancellationToken);
            await context.Output.WriteLineAsync(context.WantsJson(parsed) ? "{}" : $"Deleted alias {parsed.GetValue(alias)}.");
            return CliContext.Success;
        });
        return command;
    }
}
