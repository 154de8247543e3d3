using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Durability;

/// <summary>
/// Acknowledged writes survive kill -9; a batch that was not acknowledged is wholly present or wholly absent. Runs on
/// both stores (on PostgreSQL the restarted server finds its database again); ScaleOut's ReplicaKillTests kills one
/// of two replicas instead and reads through the survivor.
/// </summary>
public sealed class KillTests : IDisposable
{
    private const int Clients = 4;
    private const int AcknowledgedBeforeKill = 1000;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-tests", "kill-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public async Task Every_acknowledged_batch_survives_a_hard_kill_and_no_batch_is_half_written()
    {
        var batches = new MetricBatches();
        await using (var server = await ServerProcess.StartAsync(_data))
        {
            var mlflow = new MlflowClient(new HttpClient { BaseAddress = new Uri(server.BaseUrl) }, "/api/2.0/mlflow");
            var experimentId = await mlflow.CreateExperimentAsync("durability");
            var runIds = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => mlflow.CreateRunAsync(experimentId)));
            using var stop = new CancellationTokenSource();
            var clients = runIds.Select(runId => batches.SendUntilAsync(mlflow, runId, stop.Token)).ToArray();

            while (batches.Acknowledged.Count < AcknowledgedBeforeKill)
            {
                await Task.Delay(5);
            }

            server.KillHard();
            await Task.WhenAll(clients);
        }

        await using var restarted = await ServerProcess.StartAsync(_data);
        var reader = new MlflowClient(new HttpClient { BaseAddress = new Uri(restarted.BaseUrl) }, "/api/2.0/mlflow");

        Assert.True(batches.Acknowledged.Count >= AcknowledgedBeforeKill);
        Assert.NotEmpty(batches.Unacknowledged);
        await batches.AssertWholeOrAbsentAsync(reader);
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
