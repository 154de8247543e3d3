using System.CommandLine;
using Cairn.Client.Runs;
using Spectre.Console;

namespace Cairn.Cli.Commands.Runs;

public static class CompareRunsCommand
{
    public static Command Create(CliContext context)
    {
        var ids = new Argument<string[]>("run-ids") { Description = "Two or more runs to compare.", Arity = new ArgumentArity(2, 20) };
        var command = new Command("compare", "Compare runs: params and latest metrics side by side, differences marked.") { ids };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var client = context.ClientFor(parsed);
            var runs = new List<Run>();
            foreach (var id in parsed.GetValue(ids)!)
            {
                runs.Add(await client.Runs.GetAsync(id, cancellationToken));
            }

            var rows = RunComparison.Rows(runs);
            if (context.WantsJson(parsed))
            {
                context.WriteJson(new { runs = runs.Select(r => r.Id), rows });
                return CliContext.Success;
            }

            var table = new Table().AddColumn("").AddColumn("KEY");
            foreach (var run in runs)
            {
                table.AddColumn(Markup.Escape(run.Name));
            }

            foreach (var row in rows)
            {
                table.AddRow([row.Differs ? "*" : "", Markup.Escape($"{row.Kind} {row.Key}"), .. row.Values.Select(v => Markup.Escape(v ?? "-"))]);
            }

            context.WriteTable(table);
            return CliContext.Success;
        });
        return command;
    }
}

/// <summary>The rows of a comparison: one per param and metric key any run has, with each run's value.</summary>
public static class RunComparison
{
    public sealed record Row(string Kind, string Key, IReadOnlyList<string?> Values, bool Differs);

    public static List<Row> Rows(IReadOnlyList<Run> runs)
    {
        var rows = new List<Row>();
        foreach (var key in runs.SelectMany(r => r.Params.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            rows.Add(Make("param", key, runs.Select(r => r.Params.GetValueOrDefault(key)).ToList()));
        }

        foreach (var key in runs.SelectMany(r => r.Metrics.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            rows.Add(Make("metric", key, runs.Select(r => r.Metrics.TryGetValue(key, out var m) ? RunTable.Format(m.Value) : null).ToList()));
        }

        return rows;
    }

    private static Row Make(string kind, string key, List<string?> values) => new(kind, key, values, values.Distinct().Count() > 1);
}
