using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Search;

/// <summary>
/// One process may open both stores (a move from SQLite to PostgreSQL does): the queries compiled for a page of
/// runs must not keep the first store's model and fail on the other.
/// </summary>
public sealed class BothStoresInOneProcessTests
{
    [PostgresOnlyFact("it opens a SQLite and a PostgreSQL store in one process")]
    public async Task Runs_are_searched_and_read_on_SQLite_and_on_PostgreSQL_in_one_process()
    {
        await using var sqlite = new CairnApp(new() { ["Cairn:Database"] = null });
        await using var postgres = new CairnApp();

        foreach (var app in new[] { sqlite, postgres, sqlite })
        {
            var mlflow = app.Mlflow();
            var runId = await mlflow.CreateRunAsync("0", "read-back");
            await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("acc", 0.5)], @params: [Points.Kv("lr", "0.1")], tags: [Points.Kv("team", "a")]);

            var found = await mlflow.OkAsync("runs/search", new { experiment_ids = new[] { "0" }, filter = "params.lr = '0.1'" });
            var run = Assert.Single(found["runs"]!.AsArray(), r => (string)r!["info"]!["run_id"]! == runId)!;
            Assert.Equal(0.5, (double)run["data"]!["metrics"]![0]!["value"]!);
            Assert.Equal("a", (string)(await mlflow.GetRunAsync(runId))["data"]!["tags"]!.AsArray().First(t => (string)t!["key"]! == "team")!["value"]!);
        }
    }
}
