using System.Diagnostics;
using System.Net;
using Cairn.Client.Runs;

namespace Cairn.Client.Tests;

public sealed class RunScopeTests
{
    [Fact]
    public async Task A_million_points_from_a_tight_loop_arrive_complete_and_in_order()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        const int points = 1_000_000;
        string runId;
        TimeSpan loggingTook;

        await using (var run = await client.Runs.StartAsync("0", "million"))
        {
            runId = run.RunId;
            var clock = Stopwatch.StartNew();
            for (var step = 0; step < points; step++)
            {
                run.LogMetric(step % 2 == 0 ? "even" : "odd", step, step);
            }

            loggingTook = clock.Elapsed;
        }

        var even = await client.Runs.GetMetricHistoryAsync(runId, "even");
        var odd = await client.Runs.GetMetricHistoryAsync(runId, "odd");
        var ended = await client.Runs.GetAsync(runId);
        Assert.Equal(points / 2, even.Count);
        Assert.Equal(points / 2, odd.Count);
        Assert.Equal(Enumerable.Range(0, points / 2).Select(i => (long)(2 * i)), even.Select(p => p.Step));
        Assert.All(odd, p => Assert.Equal(p.Step, (long)p.Value));
        Assert.Equal(RunStatus.Finished, ended.Status);
        Assert.True(loggingTook < TimeSpan.FromSeconds(3), $"logging 1,000,000 points took {loggingTook} in the caller; it must not wait for the network");
    }

    [Fact]
    public async Task Transient_failures_are_retried_until_the_points_are_stored()
    {
        await using var server = new CairnServer();
        var flaky = new FailFirstBatches(3);
        var client = server.Client(flaky);

        await using (var run = await client.Runs.StartAsync("0", "flaky", options: new RunScopeOptions { InitialBackoff = TimeSpan.FromMilliseconds(10) }))
        {
            for (var step = 0; step < 2500; step++)
            {
                run.LogMetric("loss", 1.0 / (step + 1), step);
            }

            await run.FlushAsync();
            Assert.Equal(2500, (await client.Runs.GetMetricHistoryAsync(run.RunId, "loss")).Count);
        }

        Assert.True(flaky.Failed > 3, "the first three batches were answered with 503 and the rest went through");
    }

    [Fact]
    public async Task A_rejected_batch_surfaces_on_flush_with_the_servers_error()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        await using var run = await client.Runs.StartAsync("0");

        run.LogMetric("../escape", 1.0);
        var error = await Assert.ThrowsAsync<CairnApiException>(() => run.FlushAsync());

        Assert.Equal("INVALID_PARAMETER_VALUE", error.ErrorCode);
    }

    [Fact]
    public async Task Fail_ends_the_run_as_failed_with_its_params_and_tags()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        string runId;

        await using (var run = await client.Runs.StartAsync("0", "doomed"))
        {
            runId = run.RunId;
            await run.LogParamsAsync(new Dictionary<string, string> { ["lr"] = "0.1", ["depth"] = "6" });
            await run.SetTagAsync("stage", "test");
            run.Fail();
        }

        var ended = await client.Runs.GetAsync(runId);
        Assert.Equal(RunStatus.Failed, ended.Status);
        Assert.Equal("6", ended.Params["depth"]);
        Assert.Equal("test", ended.Tags["stage"]);
    }

    [Fact]
    public async Task Logging_after_the_scope_ended_is_refused()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.StartAsync("0");
        await run.DisposeAsync();

        Assert.Throws<ObjectDisposedException>(() => run.LogMetric("late", 1.0));
    }

    /// <summary>Answers the first <c>count</c> log-batch requests with 503, as an overloaded proxy would.</summary>
    private sealed class FailFirstBatches(int count) : DelegatingHandler
    {
        private int _failed;

        public int Failed => Volatile.Read(ref _failed);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath.EndsWith("/runs/log-batch", StringComparison.Ordinal) && Interlocked.Increment(ref _failed) <= count)
            {
                return Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)
                {
                    Content = new StringContent("{\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"try again\"}"),
                });
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
