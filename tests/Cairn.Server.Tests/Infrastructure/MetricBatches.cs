using System.Collections.Concurrent;
using System.Net;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// Numbered log-batch requests, for tests of what survives a kill or an outage. Batch <c>b</c> of a run holds
/// <see cref="PointsPerBatch"/> points of metric <c>m</c> at steps <c>b * PointsPerBatch</c> onwards, so the stored
/// steps tell which batches arrived, and whether whole. Each answer sorts its batch into acknowledged or not.
/// </summary>
public sealed class MetricBatches
{
    public const int PointsPerBatch = 100;

    public ConcurrentBag<(string Run, int Batch)> Acknowledged { get; } = [];

    public ConcurrentBag<(string Run, int Batch)> Unacknowledged { get; } = [];

    public static object Body(string runId, int batch) => new
    {
        run_id = runId,
        metrics = Enumerable.Range(0, PointsPerBatch).Select(i => Points.Metric("m", batch, 1_000_000 + batch, Step(batch, i))).ToArray(),
    };

    public static long Step(int batch, int point) => ((long)batch * PointsPerBatch) + point;

    /// <summary>Sends batches 0, 1, 2 … to <paramref name="runId"/> until <paramref name="stop"/> fires or the server stops answering.</summary>
    public Task SendUntilAsync(MlflowClient mlflow, string runId, CancellationToken stop) => Task.Run(async () =>
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            try
            {
                var response = await mlflow.PostAsync("runs/log-batch", Body(runId, batch));
                (response.Status == HttpStatusCode.OK ? Acknowledged : Unacknowledged).Add((runId, batch));
            }
            catch (HttpRequestException)
            {
                Unacknowledged.Add((runId, batch));
                return;
            }
        }
    }, CancellationToken.None);

    /// <summary>The steps of <paramref name="runId"/>'s stored points of <c>m</c>, as <paramref name="reader"/> answers them (duplicates kept).</summary>
    public static async Task<List<long>> StoredStepsAsync(MlflowClient reader, string runId)
    {
        var points = (await reader.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "m"))).Ok()["metrics"]?.AsArray() ?? [];
        return [.. points.Select(p => (long)p!["step"]!)];
    }

    /// <summary>Every acknowledged batch is stored whole; every other one whole or not at all; no point is stored twice.</summary>
    public async Task AssertWholeOrAbsentAsync(MlflowClient reader)
    {
        var runs = Acknowledged.Concat(Unacknowledged).Select(b => b.Run).Distinct();
        var stored = new Dictionary<string, ILookup<long, long>>();
        foreach (var runId in runs)
        {
            var steps = await StoredStepsAsync(reader, runId);
            Assert.Equal(steps.Count, steps.Distinct().Count());
            stored[runId] = steps.ToLookup(step => step / PointsPerBatch);
        }

        foreach (var (run, batch) in Acknowledged)
        {
            Assert.Equal(PointsPerBatch, stored[run][batch].Count());
        }

        foreach (var (run, batch) in Unacknowledged)
        {
            Assert.Contains(stored[run][batch].Count(), new[] { 0, PointsPerBatch });
        }
    }
}
