using Cairn.Client;
using Cairn.Client.Runs;

namespace Cairn.Ui.Tests.Infrastructure;

/// <summary>Builds the data a browser test looks at, through the public API.</summary>
public static class Seed
{
    public static Task<string> ExperimentAsync(CairnClient client, string prefix) =>
        client.Experiments.CreateAsync($"{prefix}-{Guid.NewGuid():N}");

    /// <summary>A finished run with the given params and one point per latest metric.</summary>
    public static async Task<Run> RunAsync(
        CairnClient client, string experimentId, string name, IReadOnlyDictionary<string, string> parameters,
        IReadOnlyDictionary<string, double> metrics, string? parentRunId = null)
    {
        var run = await client.Runs.CreateAsync(experimentId, name, parentRunId: parentRunId);
        var now = DateTimeOffset.UtcNow;
        await client.Runs.LogBatchAsync(run.Id, metrics.Select(m => new Metric(m.Key, m.Value, now, 0)).ToList(), parameters);
        await client.Runs.EndAsync(run.Id, RunStatus.Finished);
        return run;
    }

    /// <summary>Logs <paramref name="values"/> as the series <paramref name="key"/>, step i, one second apart, in batches.</summary>
    public static async Task SeriesAsync(CairnClient client, string runId, string key, IReadOnlyList<double> values, DateTimeOffset start)
    {
        for (var offset = 0; offset < values.Count; offset += 1000)
        {
            var batch = Enumerable.Range(offset, Math.Min(1000, values.Count - offset))
                .Select(i => new Metric(key, values[i], start.AddSeconds(i), i)).ToList();
            await client.Runs.LogBatchAsync(runId, batch);
        }
    }
}
