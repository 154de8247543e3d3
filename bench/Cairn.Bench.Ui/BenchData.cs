using System.Globalization;
using Cairn.Client;
using Cairn.Client.Runs;

namespace Cairn.Bench.Ui;

/// <summary>The data the scenarios look at, created once per server and found by name afterwards.</summary>
public static class BenchData
{
    public const string RunsExperiment = "bench-ui-10k";
    public const string ChartExperiment = "bench-ui-chart";
    public const int RunCount = 10_000;
    public const int ChartPoints = 1_000_000;

    /// <summary>An experiment of 10,000 finished runs, each with three params and three metrics.</summary>
    public static async Task<string> RunsAsync(CairnClient client)
    {
        if (await client.Experiments.FindByNameAsync(RunsExperiment) is { } existing)
        {
            return existing.Id;
        }

        var experimentId = await client.Experiments.CreateAsync(RunsExperiment);
        Timings.Progress($"Creating {RunCount:N0} runs in {RunsExperiment}...");
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < RunCount)
            {
                var run = await client.Runs.CreateAsync(experimentId, $"run-{i:00000}");
                var now = DateTimeOffset.UtcNow;
                await client.Runs.LogBatchAsync(run.Id,
                    [new Metric("accuracy", (i * 7919 % 10_007) / 10_007.0, now, 10), new Metric("loss", 1.0 / (1 + i % 97), now, 10), new Metric("f1", (i % 1000) / 1000.0, now, 10)],
                    new Dictionary<string, string>
                    {
                        ["model"] = (i % 4) switch { 0 => "cnn", 1 => "mlp", 2 => "gbm", _ => "rnn" },
                        ["lr"] = (0.0001 * (1 + i % 50)).ToString(CultureInfo.InvariantCulture),
                        ["batch_size"] = (16 << (i % 4)).ToString(CultureInfo.InvariantCulture),
                    });
                if (i % 2000 == 1999)
                {
                    Timings.Progress($"  {i + 1:N0} runs");
                }
            }
        }));
        return experimentId;
    }

    /// <summary>A run with one 1,000,000-point series, a random walk with a planted minimum and maximum.</summary>
    public static async Task<string> ChartRunAsync(CairnClient client)
    {
        var experimentId = await client.Experiments.GetOrCreateAsync(ChartExperiment);
        var existing = await client.Runs.SearchAsync([experimentId], "attributes.run_name = 'series-1m'", maxResults: 1);
        if (existing.Items.Count == 1)
        {
            return existing.Items[0].Id;
        }

        Timings.Progress($"Logging {ChartPoints:N0} points...");
        var run = await client.Runs.CreateAsync(experimentId, "series-1m");
        var random = new Random(42);
        var start = DateTimeOffset.UtcNow.AddHours(-6);
        var value = 0.0;
        var batches = new List<List<Metric>>();
        for (var offset = 0; offset < ChartPoints; offset += 1000)
        {
            var batch = new List<Metric>(1000);
            for (var i = offset; i < offset + 1000; i++)
            {
                value += random.NextDouble() - 0.5;
                var point = i == 654_321 ? 10_000 : i == 123_456 ? -10_000 : value;
                batch.Add(new Metric("loss", point, start.AddMilliseconds(i * 20L), i));
            }

            batches.Add(batch);
        }

        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (batch, ct) => await client.Runs.LogBatchAsync(run.Id, batch, cancellationToken: ct));
        await client.Runs.EndAsync(run.Id);
        return run.Id;
    }
}
