using System.CommandLine;

namespace Cairn.Cli.Commands.Runs;

public static class SearchRunsCommand
{
    public static Command Create(CliContext context)
    {
        var experiments = new Option<string[]>("--experiment") { Description = "An experiment to search; repeat for more.", Required = true };
        var filter = new Option<string?>("--filter") { Description = "MLflow filter, such as \"metrics.rmse < 1 and params.model = 'xgb'\"." };
        var orderBy = new Option<string[]>("--order-by") { Description = "Order, such as \"metrics.rmse ASC\"; repeat for more." };
        var max = new Option<int>("--max") { Description = "At most this many runs.", DefaultValueFactory = _ => 100 };
        var command = new Command("search", "Search runs with MLflow's filter grammar.") { experiments, filter, orderBy, max };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var client = context.ClientFor(parsed);
            await KnownExperiments.EnsureAsync(client, parsed.GetValue(experiments)!, cancellationToken);
            var page = await client.Runs.SearchAsync(
                parsed.GetValue(experiments)!, parsed.GetValue(filter), parsed.GetValue(orderBy), parsed.GetValue(max), cancellationToken: cancellationToken);
            RunTable.Write(context, context.WantsJson(parsed), page.Items);
            return CliContext.Success;
        });
        return command;
    }
}
