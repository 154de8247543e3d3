using System.Diagnostics;
using System.Text.Json;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Builds (or reuses) the experiment "bench-search-10k" (or "-100k" with <c>--runs 100000</c>): that many runs, each with params p0..p4
/// (p1 in {x,y,z}), metrics m0..m4 in [0,1) and tags t0..t2, written with 8 concurrent workers
/// (runs/create + one runs/log-batch per run). Values are seeded by run index.
/// </summary>
public static class SearchSetup
{
    public const int DefaultRunCount = 10_000;
    public const int WorkerCount = 8;
    private const int PageSize = 1000;
    private static readonly string[] P1Values = ["x", "y", "z"];

    public sealed record Dataset(string ExperimentId, List<SearchRunData> Runs, bool Reused, double SetupSeconds);

    public static string ExperimentName(int runCount) => $"bench-search-{runCount / 1000}k";

    public static async Task<Dataset> EnsureAsync(MlflowHttp http, int runCount, CancellationToken ct)
    {
        var experimentName = ExperimentName(runCount);
        if (await MlflowSetup.FindExperimentAsync(http, experimentName, ct) is var (id, stage))
        {
            if (stage == "active")
            {
                var runs = await ListRunsAsync(http, id, runCount, ct);
                if (runs.Count == runCount && runs.All(r => r.IsComplete))
                {
                    ScenarioReport.Progress($"search: reusing experiment '{experimentName}' (id {id}) with {runs.Count} runs");
                    return new Dataset(id, runs, Reused: true, SetupSeconds: 0);
                }
                ScenarioReport.Progress($"search: experiment '{experimentName}' has {runs.Count} runs ({runs.Count(r => !r.IsComplete)} incomplete); rebuilding");
            }
            await MlflowSetup.RetireExperimentAsync(http, id, stage, experimentName, ct);
        }

        var watch = Stopwatch.StartNew();
        var experimentId = await MlflowSetup.CreateExperimentAsync(http, experimentName, ct);
        await PopulateAsync(http, experimentId, runCount, ct);
        var setupSeconds = watch.Elapsed.TotalSeconds;
        var all = await ListRunsAsync(http, experimentId, runCount, ct);
        if (all.Count != runCount || !all.All(r => r.IsComplete))
        {
            throw new MlflowException($"search setup: after creating {runCount} runs, runs/search lists {all.Count} runs "
                + $"({all.Count(r => !r.IsComplete)} without m0/m1/p1)");
        }
        return new Dataset(experimentId, all, Reused: false, setupSeconds);
    }

    /// <summary>Pages through runs/search (no filter) and returns every active run of the experiment.</summary>
    public static async Task<List<SearchRunData>> ListRunsAsync(MlflowHttp http, string experimentId, int runCount, CancellationToken ct)
    {
        var uri = http.Endpoint("runs/search");
        var buffer = new JsonRequestBuffer();
        var all = new List<SearchRunData>(runCount);
        string? token = null;
        for (var page = 0; ; page++)
        {
            if (page > 10 * runCount / PageSize)
            {
                throw new MlflowException($"runs/search: pagination did not end after {page} pages ({all.Count} runs)");
            }
            var w = buffer.Start();
            w.WriteStartObject();
            w.WriteStartArray("experiment_ids");
            w.WriteStringValue(experimentId);
            w.WriteEndArray();
            w.WriteNumber("max_results", PageSize);
            if (token is not null)
            {
                w.WriteString("page_token", token);
            }
            w.WriteEndObject();
            var (runs, next) = SearchRunData.ParsePage(await http.PostRawAsync(uri, buffer.Finish(), ct));
            all.AddRange(runs);
            if (next is null || runs.Count == 0)
            {
                return all;
            }
            token = next;
        }
    }

    private static async Task PopulateAsync(MlflowHttp http, string experimentId, int runCount, CancellationToken ct)
    {
        ScenarioReport.Progress($"search: creating {runCount} runs in experiment {experimentId} with {WorkerCount} workers");
        var next = -1;
        var done = 0;
        var watch = Stopwatch.StartNew();
        var createUri = http.Endpoint("runs/create");
        var batchUri = http.Endpoint("runs/log-batch");
        await Workers.RunAsync(WorkerCount, async (_, token) =>
        {
            var buffer = new JsonRequestBuffer(2048);
            int i;
            while ((i = Interlocked.Increment(ref next)) < runCount)
            {
                var w = buffer.Start();
                w.WriteStartObject();
                w.WriteString("experiment_id", experimentId);
                w.WriteString("run_name", $"search-{i:D5}");
                w.WriteNumber("start_time", MlflowSetup.NowMs());
                w.WriteEndObject();
                string runId;
                using (var created = JsonDocument.Parse(await http.PostRawAsync(createUri, buffer.Finish(), token)))
                {
                    runId = MlflowSetup.RequireString(created.RootElement.GetProperty("run").GetProperty("info"), "run_id", "runs/create");
                }
                await http.PostAckAsync(batchUri, WriteRunData(buffer, runId, i), token);
                var n = Interlocked.Increment(ref done);
                if (n % 1000 == 0)
                {
                    ScenarioReport.Progress($"search: setup {n}/{runCount} runs ({n / watch.Elapsed.TotalSeconds:0} runs/s)");
                }
            }
        }, ct);
    }

    private static ReadOnlyMemory<byte> WriteRunData(JsonRequestBuffer buffer, string runId, int index)
    {
        var random = new Random(index);
        var now = MlflowSetup.NowMs();
        var w = buffer.Start();
        w.WriteStartObject();
        w.WriteString("run_id", runId);
        w.WriteStartArray("metrics");
        for (var k = 0; k < 5; k++)
        {
            w.WriteStartObject();
            w.WriteString("key", $"m{k}");
            w.WriteNumber("value", random.NextDouble());
            w.WriteNumber("timestamp", now);
            w.WriteNumber("step", 0);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        WritePairs(w, "params", "p", 5, k => k == 1 ? P1Values[random.Next(3)] : $"v{random.Next(1000)}");
        WritePairs(w, "tags", "t", 3, _ => $"tag-{random.Next(10)}");
        w.WriteEndObject();
        return buffer.Finish();
    }

    private static void WritePairs(Utf8JsonWriter w, string property, string prefix, int count, Func<int, string> value)
    {
        w.WriteStartArray(property);
        for (var k = 0; k < count; k++)
        {
            w.WriteStartObject();
            w.WriteString("key", $"{prefix}{k}");
            w.WriteString("value", value(k));
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
