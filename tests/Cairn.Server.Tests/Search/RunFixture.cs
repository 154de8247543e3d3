using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;
using static Cairn.Server.Tests.Infrastructure.Points;

namespace Cairn.Server.Tests.Search;

/// <summary>
/// Runs to search, in experiment "search" unless noted (start_time, user, status, end_time):
/// <list type="bullet">
/// <item>alpha-1 (1000, ana, FINISHED, 1500): loss 9 then 0.5 (latest), acc 0.9, val.loss 0.4; lr 0.1, optimizer Adam; team Vision, my-tag x1; iris/d1 training.</item>
/// <item>alpha-2 (2000, bob, RUNNING, -): loss 0.25, acc 0.8, "val loss" 0.3; lr 0.01, optimizer adamw; team vision; iris/d1 eval, wine/d2 training.</item>
/// <item>beta-1 (3000, ana, FAILED, 3500): loss NaN; lr 1, optimizer SGD; team infra; digits/d3 testing.</item>
/// <item>beta-22 (4000, cy, KILLED, 4800): acc 0.7, delta -2.5; optimizer sgd; no lr, no team, no inputs.</item>
/// <item>gone (5000, deleted): loss 0.5; lr 0.1; team Vision.</item>
/// <item>elsewhere-1 (6000, experiment "elsewhere"): loss 0.5; lr 0.1; team Vision.</item>
/// </list>
/// </summary>
public sealed record RunFixture(string ExperimentId, string OtherExperimentId, IReadOnlyDictionary<string, string> Ids)
{
    public static readonly string[] Active = ["alpha-1", "alpha-2", "beta-1", "beta-22"];

    public static async Task<RunFixture> CreateAsync(MlflowClient mlflow)
    {
        var experiment = await mlflow.CreateExperimentAsync("search");
        var other = await mlflow.CreateExperimentAsync("elsewhere");
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);

        var a1 = ids["alpha-1"] = await StartAsync(mlflow, experiment, "alpha-1", 1000, "ana", Kv("team", "Vision"), Kv("my-tag", "x1"));
        await mlflow.LogBatchAsync(a1, [Metric("loss", 9, step: 0), Metric("loss", 0.5, step: 1), Metric("acc", 0.9), Metric("val.loss", 0.4)],
            [Kv("lr", "0.1"), Kv("optimizer", "Adam")]);
        await FinishAsync(mlflow, a1, "FINISHED", 1500);
        await LogInputAsync(mlflow, a1, ("iris", "d1", "training"));

        var a2 = ids["alpha-2"] = await StartAsync(mlflow, experiment, "alpha-2", 2000, "bob", Kv("team", "vision"));
        await mlflow.LogBatchAsync(a2, [Metric("loss", 0.25), Metric("acc", 0.8), Metric("val loss", 0.3)], [Kv("lr", "0.01"), Kv("optimizer", "adamw")]);
        await LogInputAsync(mlflow, a2, ("iris", "d1", "eval"), ("wine", "d2", "training"));

        var b1 = ids["beta-1"] = await StartAsync(mlflow, experiment, "beta-1", 3000, "ana", Kv("team", "infra"));
        await mlflow.LogBatchAsync(b1, [Metric("loss", "NaN")], [Kv("lr", "1"), Kv("optimizer", "SGD")]);
        await FinishAsync(mlflow, b1, "FAILED", 3500);
        await LogInputAsync(mlflow, b1, ("digits", "d3", "testing"));

        var b22 = ids["beta-22"] = await StartAsync(mlflow, experiment, "beta-22", 4000, "cy");
        await mlflow.LogBatchAsync(b22, [Metric("acc", 0.7), Metric("delta", -2.5)], [Kv("optimizer", "sgd")]);
        await FinishAsync(mlflow, b22, "KILLED", 4800);

        var gone = ids["gone"] = await StartAsync(mlflow, experiment, "gone", 5000, "ana", Kv("team", "Vision"));
        await mlflow.LogBatchAsync(gone, [Metric("loss", 0.5)], [Kv("lr", "0.1")]);
        await mlflow.OkAsync("runs/delete", new { run_id = gone });

        var elsewhere = ids["elsewhere-1"] = await StartAsync(mlflow, other, "elsewhere-1", 6000, "ana", Kv("team", "Vision"));
        await mlflow.LogBatchAsync(elsewhere, [Metric("loss", 0.5)], [Kv("lr", "0.1")]);
        return new RunFixture(experiment, other, ids);
    }

    /// <summary>Replaces <c>{run-name}</c> placeholders with that run's id.</summary>
    public string Resolve(string text) =>
        Ids.Aggregate(text, (current, run) => current.Replace($"{{{run.Key}}}", run.Value, StringComparison.Ordinal));

    /// <summary>Names of the runs of experiment "search" (active only) that <paramref name="filter"/> matches, in the server's order.</summary>
    public async Task<List<string>> NamesAsync(MlflowClient mlflow, string filter, params string[] orderBy) =>
        RunNames((await mlflow.PostAsync("runs/search", new { experiment_ids = new[] { ExperimentId }, filter = Resolve(filter), order_by = orderBy })).Ok());

    public static List<string> RunNames(JsonNode body) =>
        body["runs"] is JsonArray runs ? [.. runs.Select(r => (string)r!["info"]!["run_name"]!)] : [];

    /// <summary>"a,b" → ["a", "b"] in ordinal order; "" → [].</summary>
    public static string[] Set(string names) => [.. names.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)];

    public static string[] Set(IEnumerable<string> names) => [.. names.Order(StringComparer.Ordinal)];

    private static async Task<string> StartAsync(MlflowClient mlflow, string experimentId, string name, long startTime, string user, params object[] tags)
    {
        var body = await mlflow.OkAsync("runs/create", new { experiment_id = experimentId, run_name = name, start_time = startTime, user_id = user, tags });
        return (string)body["run"]!["info"]!["run_id"]!;
    }

    private static Task<JsonNode> FinishAsync(MlflowClient mlflow, string runId, string status, long endTime) =>
        mlflow.OkAsync("runs/update", new { run_id = runId, status, end_time = endTime });

    private static Task<JsonNode> LogInputAsync(MlflowClient mlflow, string runId, params (string Name, string Digest, string Context)[] inputs) =>
        mlflow.OkAsync("runs/log-inputs", new
        {
            run_id = runId,
            datasets = inputs.Select(i => new
            {
                tags = new[] { Kv("mlflow.data.context", i.Context) },
                dataset = new { name = i.Name, digest = i.Digest, source_type = "local", source = $"/data/{i.Name}.csv" },
            }).ToArray(),
        });
}
