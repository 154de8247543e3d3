using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;
using static Cairn.Server.Tests.Infrastructure.Points;

namespace Cairn.Server.Tests.Search;

/// <summary>
/// Experiments to search, created in this order a few milliseconds apart: Default (id 0, creation_time 0),
/// team-a/one (owner ana), team-a/two (owner bob), Team-B/three (owner ana, extra-key value),
/// team-c/old (owner cy, deleted).
/// </summary>
public sealed record ExperimentFixture(IReadOnlyDictionary<string, long> CreationTimes)
{
    public static readonly string[] Active = ["Default", "team-a/one", "team-a/two", "Team-B/three"];

    public static async Task<ExperimentFixture> CreateAsync(MlflowClient mlflow)
    {
        var times = new Dictionary<string, long>(StringComparer.Ordinal) { ["Default"] = 0 };
        await CreateAsync(mlflow, times, "team-a/one", Kv("owner", "ana"));
        await CreateAsync(mlflow, times, "team-a/two", Kv("owner", "bob"));
        await CreateAsync(mlflow, times, "Team-B/three", Kv("owner", "ana"), Kv("extra-key", "value"));
        var old = await CreateAsync(mlflow, times, "team-c/old", Kv("owner", "cy"));
        await mlflow.OkAsync("experiments/delete", new { experiment_id = old });
        return new ExperimentFixture(times);
    }

    /// <summary>Replaces <c>{name}</c> placeholders with that experiment's creation_time.</summary>
    public string Resolve(string text) =>
        CreationTimes.Aggregate(text, (current, e) => current.Replace($"{{{e.Key}}}", e.Value.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal));

    public static List<string> Names(JsonNode body) =>
        body["experiments"] is JsonArray experiments ? [.. experiments.Select(e => (string)e!["name"]!)] : [];

    private static async Task<string> CreateAsync(MlflowClient mlflow, Dictionary<string, long> times, string name, params object[] tags)
    {
        await Task.Delay(15);
        var id = (string)(await mlflow.OkAsync("experiments/create", new { name, tags }))["experiment_id"]!;
        var experiment = (await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!;
        times[name] = (long)experiment["creation_time"]!;
        return id;
    }
}
