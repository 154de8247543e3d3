using System.CommandLine;
using Spectre.Console;

namespace Cairn.Cli.Commands.Models;

public static class ShowModelCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model to show." };
        var command = new Command("show", "Show a registered model: its aliases, latest version per stage, and tags.") { name };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var model = await context.ClientFor(parsed).Models.GetAsync(parsed.GetValue(name)!, cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(model);
                return CliContext.Success;
            }

            var table = new Table().AddColumns("FIELD", "VALUE");
            table.AddRow("name", Markup.Escape(model.Name)).AddRow("description", Markup.Escape(model.Description))
                .AddRow("created", ModelText.Time(model.CreatedAt)).AddRow("updated", ModelText.Time(model.UpdatedAt))
                .AddRow("user", Markup.Escape(model.UserId));
            foreach (var (alias, version) in model.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape($"alias {alias}"), ModelText.Version(version));
            }

            foreach (var version in model.LatestVersions)
            {
                table.AddRow(Markup.Escape($"latest {version.Stage}"), Markup.Escape($"{ModelText.Version(version.Version)} {version.Source}"));
            }

            foreach (var (key, value) in model.Tags.OrderBy(t => t.Key, StringComparer.Ordinal))
            {
                table.AddRow(Markup.Escape($"tag {key}"), Markup.Escape(value));
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }
}
