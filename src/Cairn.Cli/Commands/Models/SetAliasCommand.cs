using System.CommandLine;

namespace Cairn.Cli.Commands.Models;

public static class SetAliasCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var alias = new Argument<string>("alias") { Description = "The alias, such as champion." };
        var version = new Argument<int>("version") { Description = "The version it should point at." };
        var command = new Command("set", "Point an alias at a version, creating it or moving it (the move is recorded for rollback).") { name, alias, version };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var (model, aliasName, number) = (parsed.GetValue(name)!, parsed.GetValue(alias)!, parsed.GetValue(version));
            await context.ClientFor(parsed).Models.SetAliasAsync(model, aliasName, number, cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(new { name = model, alias = aliasName, version = number });
            }
            else
            {
                await context.Output.WriteLineAsync($"{aliasName} now points at {ModelText.Version(number)}");
            }

            return CliContext.Success;
        });
        return command;
    }
}
