using System.CommandLine;

namespace Cairn.Cli.Commands.Experiments;

public static class CreateExperimentCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The experiment's name (unique)." };
        var tags = new Option<string[]>("--tag") { Description = "A tag as key=value; repeat for more.", AllowMultipleArgumentsPerToken = false };
        var command = new Command("create", "Create an experiment and print its id.") { name, tags };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var pairs = KeyValues.Parse(parsed.GetValue(tags) ?? [], "--tag");
            var id = await context.ClientFor(parsed).Experiments.CreateAsync(parsed.GetValue(name)!, pairs, cancellationToken: cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(new { experiment_id = id });
            }
            else
            {
                await context.Output.WriteLineAsync(id);
            }

            return CliContext.Success;
        });
        return command;
    }
}
