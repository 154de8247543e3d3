using System.CommandLine;

namespace Cairn.Cli.Commands.Models;

public static class DeleteAliasCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var alias = new Argument<string>("alias") { Description = "The alias to delete." };
        var command = new Command("delete", "Delete an alias (the version stays).") { name, alias };
        command.SetAction((parsed, cancellationToken) => context.RunAsync(async () =>
        {
            await context.ClientFor(parsed).Models.DeleteAliasAsync(parsed.GetValue(name)!, parsed.GetValue(alias)!, cancellationToken);
            await context.Output.WriteLineAsync(context.WantsJson(parsed) ? "{}" : $"Deleted alias {parsed.GetValue(alias)}.");
            return CliContext.Success;
        }));
        return command;
    }
}
