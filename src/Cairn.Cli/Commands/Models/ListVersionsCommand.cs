using System.CommandLine;
using Spectre.Console;

namespace Cairn.Cli.Commands.Models;

public static class ListVersionsCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model whose versions to list." };
        var command = new Command("versions", "List a model's versions, newest first, with stage, aliases and source.") { name };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var models = context.ClientFor(parsed).Models;
            var model = await models.GetAsync(parsed.GetValue(name)!, cancellationToken);
            var versions = await models.SearchAllVersionsAsync($"name = '{model.Name.Replace("'", "''", StringComparison.Ordinal)}'", cancellationToken: cancellationToken)
                .ToListAsync(cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(versions);
                return CliContext.Success;
            }

            // A version search answers no aliases (as MLflow's does); the model holds them.
            var table = new Table().AddColumns("VERSION", "STAGE", "ALIASES", "CREATED", "RUN", "SOURCE");
            foreach (var version in versions)
            {
                var aliases = model.Aliases.Where(a => a.Value == version.Version).Select(a => a.Key).Order(StringComparer.Ordinal);
                table.AddRow(ModelText.Version(version.Version), version.Stage, Markup.Escape(string.Join(", ", aliases)),
                    ModelText.Time(version.CreatedAt), version.RunId ?? "", Markup.Escape(version.Source));
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }
}
