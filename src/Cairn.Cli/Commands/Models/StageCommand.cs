using System.CommandLine;

namespace Cairn.Cli.Commands.Models;

public static class StageCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model." };
        var version = new Argument<int>("version") { Description = "The version to move." };
        var stage = new Argument<string>("stage") { Description = "None, Staging, Production or Archived." };
        var archive = new Option<bool>("--archive-existing") { Description = "Move the model's other versions in that stage (Staging or Production) to Archived." };
        var command = new Command("stage", "Move a version to a stage.") { name, version, stage, archive };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var moved = await context.ClientFor(parsed).Models.TransitionStageAsync(
                parsed.GetValue(name)!, parsed.GetValue(version), parsed.GetValue(stage)!, parsed.GetValue(archive), cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(moved);
            }
            else
            {
                await context.Output.WriteLineAsync($"{moved.ModelName} {ModelText.Version(moved.Version)} is now in {moved.Stage}");
            }

            return CliContext.Success;
        });
        return command;
    }
}
