using System.CommandLine;
using Cairn.Client;

namespace Cairn.Cli.Commands;

/// <summary>The shape of verbs that act on one id and print a confirmation (delete, restore).</summary>
public static class IdCommand
{
    public static Command Create(
        CliContext context, string name, string description, string argument, string argumentDescription,
        Func<CairnClient, string, CancellationToken, Task> act, Func<string, string> done)
    {
        var id = new Argument<string>(argument) { Description = argumentDescription };
        var command = new Command(name, description) { id };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var value = parsed.GetValue(id)!;
            await act(context.ClientFor(parsed), value, cancellationToken);
            await context.Output.WriteLineAsync(context.WantsJson(parsed) ? "{}" : done(value));
            return CliContext.Success;
        });
        return command;
    }
}
