using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Cairn.Server.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Cairn.Server.Tests.ScaleOut;

/// <summary>
/// PostgreSQL restarts under a running server while clients log batches and retry as the MLflow client does (the
/// same points again after a 5xx). During the outage the server answers 503 TEMPORARILY_UNAVAILABLE and is not
/// ready; afterwards it writes again by itself, and every point sent is stored exactly once.
/// </summary>
[Collection(ScaleOutCollection.Name)]
public sealed class PostgresOutageTests(ITestOutputHelper output) : IDisposable
{
    private const int Clients = 4;
    private const int AcknowledgedBeforeOutage = 100;
    private const int UnavailableAnswersDuringOutage = 20;
    private const int AcknowledgedAfterOutage = 100;

    private readonly string _data = Path.Combine(Path.GetTempPath(), "cairn-tests", "outage-" + Guid.NewGuid().ToString("N"));
    private readonly ConcurrentQueue<(TimeSpan Time, MlflowResponse Response)> _answers = new();
    private readonly ConcurrentDictionary<string, int> _acknowledged = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();

    [PostgresOnlyFact("it restarts a PostgreSQL cluster of its own under a running server")]
    public async Task The_server_answers_503_while_PostgreSQL_is_down_and_recovers_by_itself_storing_every_point_once()
    {
        await using var cluster = await PostgresCluster.StartAsync();
        await using var server = await ServerProcess.StartAsync(_data, "--database", cluster.ConnectionString);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl), Timeout = TimeSpan.FromMinutes(2) };
        var mlflow = new MlflowClient(http, "/api/2.0/mlflow");
        var experimentId = await mlflow.CreateExperimentAsync("outage");
        var runIds = await Task.WhenAll(Enumerable.Range(0, Clients).Select(_ => mlflow.CreateRunAsync(experimentId)));
        using var stop = new CancellationTokenSource();
        var clients = runIds.Select(runId => SendRetryingAsync(mlflow, runId, stop.Token)).ToArray();

        // An orderly restart (open sessions are terminated), then a crash (connections reset, WAL replayed at start).
        await WaitUntilAsync(() => Acknowledged >= AcknowledgedBeforeOutage, clients);
        var firstStop = await OutageAsync(cluster, mlflow, runIds[0], "fast", clients);
        await OutageAsync(cluster, mlflow, runIds[0], "immediate", clients);

        await stop.CancelAsync();
        await Task.WhenAll(clients);
        var failures = _answers.Where(a => a.Response.Status != HttpStatusCode.OK).ToList();
        Assert.All(failures, a => a.Response.IsError(HttpStatusCode.ServiceUnavailable, "TEMPORARILY_UNAVAILABLE"));
        Assert.DoesNotContain(failures, a => a.Time < firstStop);

        // Every batch was acknowledged in the end (the clients retried until it was): each run holds exactly its points.
        foreach (var runId in runIds)
        {
            var steps = await MetricBatches.StoredStepsAsync(mlflow, runId);
            Assert.Equal(Enumerable.Range(0, _acknowledged.GetValueOrDefault(runId) * MetricBatches.PointsPerBatch).Select(s => (long)s), steps.Order());
            var latest = (await mlflow.GetRunAsync(runId))["data"]!["metrics"]!.AsArray().Single(m => (string?)m!["key"] == "m")!;
            Assert.Equal(MetricBatches.Step(_acknowledged[runId] - 1, MetricBatches.PointsPerBatch - 1), (long)latest["step"]!);
        }
    }

    private int Acknowledged => _acknowledged.Values.Sum();

    /// <summary>Stops PostgreSQL while the clients write, checks the server says it is unavailable (to writes, reads and the readiness probe), starts it again and waits for writes to be acknowledged again; returns when it stopped.</summary>
    private async Task<TimeSpan> OutageAsync(PostgresCluster cluster, MlflowClient mlflow, string runId, string mode, Task[] clients)
    {
        var stopped = _clock.Elapsed;
        await cluster.StopAsync(mode);
        await WaitUntilAsync(() => _answers.Count(a => a.Time > stopped && a.Response.Status != HttpStatusCode.OK) >= UnavailableAnswersDuringOutage, clients);
        using (var ready = await mlflow.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }

        (await mlflow.GetAsync("runs/get", ("run_id", runId))).IsError(HttpStatusCode.ServiceUnavailable, "TEMPORARILY_UNAVAILABLE");

        var restarting = _clock.Elapsed;
        await cluster.StartAgainAsync();
        var up = _clock.Elapsed;
        var acknowledgedWhenUp = Acknowledged;
        await WaitUntilAsync(() => Acknowledged >= acknowledgedWhenUp + AcknowledgedAfterOutage, clients);
        using (var ready = await mlflow.Http.GetAsync("/health/ready"))
        {
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        }

        var answers = _answers.Where(a => a.Time > stopped).ToList();
        var firstAcknowledged = answers.Where(a => a.Time > up && a.Response.Status == HttpStatusCode.OK).Min(a => a.Time);
        output.WriteLine(
            $"pg_ctl stop -m {mode}: {answers.Count(a => a.Response.Status != HttpStatusCode.OK)} answers other than 200 "
            + $"({answers.Count(a => a.Time > up && a.Response.Status != HttpStatusCode.OK)} of them after PostgreSQL accepted connections again); "
            + $"down for {(up - stopped).TotalSeconds:F2} s (starting took {(up - restarting).TotalSeconds:F2} s), "
            + $"first write acknowledged {(firstAcknowledged - up).TotalSeconds:F2} s after PostgreSQL was up");
        return stopped;
    }

    /// <summary>Logs batches 0, 1, 2 … to <paramref name="runId"/>, each sent again after a 5xx until it is acknowledged.</summary>
    private Task SendRetryingAsync(MlflowClient mlflow, string runId, CancellationToken stop) => Task.Run(async () =>
    {
        for (var batch = 0; !stop.IsCancellationRequested; batch++)
        {
            while (true)
            {
                var response = await mlflow.PostAsync("runs/log-batch", MetricBatches.Body(runId, batch));
                _answers.Enqueue((_clock.Elapsed, response));
                if (response.Status == HttpStatusCode.OK)
                {
                    _acknowledged[runId] = batch + 1;
                    break;
                }

                Assert.True((int)response.Status >= 500, $"a client error cannot be retried: {(int)response.Status} {response.Text}");
                await Task.Delay(50, CancellationToken.None);
            }
        }
    }, CancellationToken.None);

    /// <summary>Polls <paramref name="condition"/>; fails early when a client failed.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition, Task[] clients)
    {
        var deadline = DateTime.UtcNow.AddSeconds(120);
        while (!condition())
        {
            if (clients.FirstOrDefault(c => c.IsFaulted) is { } failed)
            {
                await failed;
            }

            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the clients");
            await Task.Delay(10);
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
