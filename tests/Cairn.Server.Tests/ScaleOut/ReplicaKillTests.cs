using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.ScaleOut;

/// <summary>
/// Durability with replicas: kill -9 one of two replicas while clients log batches through both. What the killed one
/// acknowledged reads back through the survivor, what it did not is wholly there or wholly absent, and the survivor's
/// clients never noticed. (Durability's KillTests does the same with one server and a restart, on both stores.)
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class ReplicaKillTests
{
    private const int ClientsPerReplica = 2;
    private const int AcknowledgedBeforeKill = 300;
    private const int AcknowledgedBySurvivorAfterKill = 100;

    [PostgresOnlyFact("replicas share one PostgreSQL database")]
    public async Task Batches_a_killed_replica_acknowledged_read_back_through_the_survivor_and_none_is_half_written()
    {
        await using var replicas = await Replicas.StartAsync(2);
        var experimentId = await replicas.Mlflow(0).CreateExperimentAsync("durability");
        var (killed, survivor) = (new MetricBatches(), new MetricBatches());
        using var stop = new CancellationTokenSource();
        var clients = new List<Task>[2];
        foreach (var replica in (int[])[0, 1])
        {
            var mlflow = replicas.Mlflow(replica);
            var runIds = await Task.WhenAll(Enumerable.Range(0, ClientsPerReplica).Select(_ => mlflow.CreateRunAsync(experimentId)));
            clients[replica] = [.. runIds.Select(runId => (replica == 0 ? killed : survivor).SendUntilAsync(mlflow, runId, stop.Token))];
        }

        await WaitUntilAsync(() => killed.Acknowledged.Count >= AcknowledgedBeforeKill);
        replicas[0].KillHard();
        await Task.WhenAll(clients[0]);
        var acknowledgedAtKill = survivor.Acknowledged.Count;
        await WaitUntilAsync(() => survivor.Acknowledged.Count >= acknowledgedAtKill + AcknowledgedBySurvivorAfterKill);
        await stop.CancelAsync();
        await Task.WhenAll(clients[1]);

        var reader = replicas.Mlflow(1);
        Assert.NotEmpty(killed.Unacknowledged);
        await killed.AssertWholeOrAbsentAsync(reader);
        Assert.Empty(survivor.Unacknowledged);
        await survivor.AssertWholeOrAbsentAsync(reader);
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for acknowledged batches");
            await Task.Delay(5);
        }
    }
}
