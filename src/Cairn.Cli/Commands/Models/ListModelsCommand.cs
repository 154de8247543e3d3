using System.CommandLine;
using Spectre.Console;

namespace Cairn.Cli.Commands.Models;

public static class ListModelsCommand
{
    public static Command Create(CliContext context)
    {
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, such as \"name LIKE 'churn-%'\" or \"tags.team = 'growth'\"." };
        var command = new Command("list", "List registered models with their latest version and aliases.") { filter };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var models = await context.ClientFor(parsed).Models.SearchAllAsync(parsed.GetValue(filter), cancellationToken: cancellationToken)
                .ToListAsync(cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(models);
                return CliContext.Success;
            }

            var table = new Table().AddColumns("NAME", "LATEST", "ALIASES", "UPDATED", "DESCRIPTION");
            foreach (var model in models)
            {
                var latest = model.LatestVersions.Count == 0 ? "" : ModelText.Version(model.LatestVersions.Max(v => v.Version));
                table.AddRow(Markup.Escape(model.Name), latest, Markup.Escape(ModelText.Aliases(model)), ModelText.Time(model.UpdatedAt), Markup.Escape(model.Description));
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }
}
