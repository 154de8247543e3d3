using System.Collections.Concurrent;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Durability;

/// <summary>Acknowledged writes survive kill -9; a batch that was not acknowledged is wholly present or wholly absent.</summary>
public sealed class KillTests : IDisposable
{
    private const int Clients = 4;
    private const int PointsPerBatch = 100;
    private const int AcknowledgedBeforeKill = 1000;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-tests", "kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_acknowledged_batch_survives_a_hard_kill_and_no_batch_is_half_written()
    {
        var acknowledged = new ConcurrentBag<(string Run, int Batch)>();
        var unacknowledged = new ConcurrentBag<(string Run, int Batch)>();
        string[] runIds;

        await using (var server = await ServerProcess.StartAsync(_data))
        {
            var mlflow = new MlflowClient(new HttpClient { BaseAddress = new Uri(server.BaseUrl) }, "/api/2.0/mlflow");
            var experimentId = await mlflow.CreateExperimentAsync("durability");
            runIds = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => mlflow.CreateRunAsync(experimentId)));
            using var stop = new CancellationTokenSource();

            var clients = runIds.Select(runId => Task.Run(async () =>
            {
                for (var batch = 0; !stop.IsCancellationRequested && batch < 100_000; batch++)
                {
                    var body = new
                    {
                        run_id = runId,
                        metrics = Enumerable.Range(0, PointsPerBatch).Select(i => Points.Metric("m", batch, 1_000_000 + batch, (batch * PointsPerBatch) + i)).ToArray(),
                    };
                    try
                    {
                        var response = await mlflow.PostAsync("runs/log-batch", body);
                        (response.Status == System.Net.HttpStatusCode.OK ? acknowledged : unacknowledged).Add((runId, batch));
                    }
                    catch (HttpRequestException)
                    {
                        unacknowledged.Add((runId, batch));
                        return;
                    }
                }
            })).ToArray();

            while (acknowledged.Count < AcknowledgedBeforeKill)
            {
                await Task.Delay(5);
            }

            server.KillHard();
            await Task.WhenAll(clients);
        }

        await using var restarted = await ServerProcess.StartAsync(_data);
        var reader = new MlflowClient(new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) }, "/api/2.0/mlflow");
        var stored = new Dictionary<string, ILookup<long, long>>();
        foreach (var runId in runIds)
        {
            var points = (await reader.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "m"))).Ok()["metrics"]?.AsArray() ?? [];
            stored[runId] = points.ToLookup(p => (long)p!["step"]! / PointsPerBatch, p => (long)p!["step"]!);
        }

        Assert.True(acknowledged.Count >= AcknowledgedBeforeKill);
        Assert.NotEmpty(unacknowledged);
        foreach (var (run, batch) in acknowledged)
        {
            Assert.Equal(PointsPerBatch, stored[run][batch].Count());
        }

        foreach (var (run, batch) in unacknowledged)
        {
            Assert.Contains(stored[run][batch].Count(), new[] { 0, PointsPerBatch });
        }
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
