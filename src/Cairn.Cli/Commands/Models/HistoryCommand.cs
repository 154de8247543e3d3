using System.CommandLine;
using System.Text.Json;
using Cairn.Client.Models;
using Spectre.Console;

namespace Cairn.Cli.Commands.Models;

public static class HistoryCommand
{
    public static Command Create(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The registered model (its current or a former name)." };
        var max = new Option<int>("--max") { Description = "At most this many entries, newest first.", DefaultValueFactory = _ => 100 };
        var command = new Command("history", "Show a model's audit trail: who changed what, when, and from what to what.") { name, max };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var client = context.ClientFor(parsed);
            var events = await client.Models.ListAllEventsAsync(parsed.GetValue(name)!, cancellationToken: cancellationToken)
                .Take(parsed.GetValue(max)).ToListAsync(cancellationToken);
            if (events.Count == 0)
            {
                // A name the trail has never seen: the server's RESOURCE_DOES_NOT_EXIST, not an empty table.
                await client.Models.GetAsync(parsed.GetValue(name)!, cancellationToken);
            }

            if (context.WantsJson(parsed))
            {
                context.WriteJson(events);
                return CliContext.Success;
            }

            var table = new Table().AddColumns("TIME (UTC)", "ACTOR", "ACTION", "VERSION/ALIAS", "BEFORE → AFTER");
            foreach (var e in events)
            {
                var target = e.Alias ?? (e.Version is { } version ? ModelText.Version(version) : "");
                table.AddRow(ModelText.Time(e.Time), Markup.Escape(e.Actor), e.Action, Markup.Escape(target), Markup.Escape($"{State(e.Before)} → {State(e.After)}"));
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }

    /// <summary>
    /// One side of a change in a few characters: a version (<c>v2</c>, for aliases and whole versions), a tag (<c>key=value</c>),
    /// a stage, a name (renames and whole models), or a description in quotes; <c>-</c> where there was none.
    /// </summary>
    public static string State(JsonElement? state)
    {
        if (state is not { ValueKind: JsonValueKind.Object } s)
        {
            return "-";
        }

        if (s.TryGetProperty("key", out var key))
        {
            return $"{key.GetString()}={(s.TryGetProperty("value", out var value) ? value.GetString() : "")}";
        }

        if (s.TryGetProperty("version", out var number))
        {
            return "v" + number.GetString();
        }

        if (s.TryGetProperty("current_stage", out var stage))
        {
            return stage.GetString() ?? "";
        }

        if (s.TryGetProperty("name", out var modelName))
        {
            return modelName.GetString() ?? "";
        }

        var description = s.TryGetProperty("description", out var text) ? text.GetString() ?? "" : "";
        return $"\"{(description.Length > 40 ? description[..39] + "…" : description)}\"";
    }
}
