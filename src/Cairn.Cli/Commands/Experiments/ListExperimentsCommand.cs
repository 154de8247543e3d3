using System.CommandLine;
using System.Globalization;
using Cairn.Client;
using Spectre.Console;

namespace Cairn.Cli.Commands.Experiments;

public static class ListExperimentsCommand
{
    public static Command Create(CliContext context)
    {
        var deleted = new Option<bool>("--deleted") { Description = "List deleted experiments instead of active ones." };
        var all = new Option<bool>("--all") { Description = "List active and deleted experiments." };
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, such as \"name LIKE 'team-%'\"." };
        var command = new Command("list", "List experiments.") { deleted, all, filter };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var viewType = parsed.GetValue(all) ? ViewType.All : parsed.GetValue(deleted) ? ViewType.DeletedOnly : ViewType.ActiveOnly;
            var experiments = await context.ClientFor(parsed).Experiments
                .SearchAllAsync(parsed.GetValue(filter), ["name ASC"], viewType, cancellationToken).ToListAsync(cancellationToken);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(experiments);
                return CliContext.Success;
            }

            var table = new Table().AddColumns("ID", "NAME", "STATE", "CREATED", "ARTIFACTS");
            foreach (var e in experiments)
            {
                table.AddRow(e.Id, Markup.Escape(e.Name), e.IsDeleted ? "deleted" : "active",
                    e.CreatedAt.ToString("u", CultureInfo.InvariantCulture), Markup.Escape(e.ArtifactLocation));
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }
}
