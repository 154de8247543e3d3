using System.CommandLine;

namespace Cairn.Cli.Commands.Models;

public static class RollbackCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var alias = new Argument<string>("alias") { Description = "The alias to move back." };
        var command = new Command("rollback", "Move an alias back to the version it pointed at before its last move (from the audit trail).") { name, alias };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var rollback = await context.ClientFor(parsed).Models.RollbackAliasAsync(parsed.GetValue(name)!, parsed.GetValue(alias)!, cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(rollback);
            }
            else
            {
                await context.Output.WriteLineAsync(
                    $"moved {rollback.Alias} from {ModelText.Version(rollback.FromVersion)} back to {ModelText.Version(rollback.ToVersion)}");
            }

            return CliContext.Success;
        });
        return command;
    }
}
