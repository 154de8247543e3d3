using Cairn.Client.Runs;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RunPageTests(BrowserSession session)
{
    private static readonly DateTimeOffset SeriesStart = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    private static Task<T> ChartAsync<T>(IPage page, string metric, string expression) =>
        page.Locator($"section.chart[data-metric='{metric}'] .js-plotly-plot").EvaluateAsync<T>(expression);

    private async Task<(Run Run, IPage Page)> RunWithSeriesAsync(string key, IReadOnlyList<double> values)
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "charts");
        var run = await session.Client.Runs.CreateAsync(experimentId, "charted", startTime: SeriesStart.AddSeconds(-10));
        await session.Client.Runs.LogBatchAsync(run.Id, [], new Dictionary<string, string> { ["optimizer"] = "adam" }, new Dictionary<string, string> { ["team"] = "vision" });
        await Seed.SeriesAsync(session.Client, run.Id, key, values, SeriesStart);
        var page = await session.OpenAsync($"runs/{run.Id}?tab=charts");
        await Expect(page.Locator($"section.chart[data-metric='{key}'] .js-plotly-plot .scatterlayer")).ToHaveCountAsync(1);
        return (run, page);
    }

    [Fact]
    public async Task Shows_the_runs_params_tags_and_latest_metrics_as_the_api_returns_them()
    {
        var (run, page) = await RunWithSeriesAsync("loss", [0.9, 0.5, 0.25]);
        var api = await session.Client.Runs.GetAsync(run.Id);

        await Expect(page.Locator("h1")).ToHaveTextAsync("charted");
        await page.Locator("#run-tabs a[data-tab='overview']").ClickAsync();
        await Expect(page.Locator("#params tr[data-key='optimizer'] td")).ToHaveTextAsync(api.Params["optimizer"]);
        await Expect(page.Locator("#tags tr[data-key='team'] td")).ToHaveTextAsync(api.Tags["team"]);
        await Expect(page.Locator("#metrics tr[data-key='loss'] td")).ToHaveTextAsync($"{api.Metrics["loss"].Value} (step {api.Metrics["loss"].Step})");
    }

    [Fact]
    public async Task A_small_series_is_drawn_point_for_point_on_a_step_axis()
    {
        var values = Enumerable.Range(0, 300).Select(i => Math.Exp(-i / 50.0)).ToList();
        var (run, page) = await RunWithSeriesAsync("loss", values);
        var history = await session.Client.Runs.GetMetricHistoryAsync(run.Id, "loss");

        Assert.Equal(history.Select(m => (double)m.Step), await ChartAsync<double[]>(page, "loss", "gd => gd.data[0].x"));
        Assert.Equal(history.Select(m => m.Value), await ChartAsync<double[]>(page, "loss", "gd => gd.data[0].y"));
        Assert.Equal("Step", await ChartAsync<string>(page, "loss", "gd => gd.layout.xaxis.title.text"));
        await Expect(page.Locator("section.chart[data-metric='loss']")).ToHaveAttributeAsync("data-downsampled", "false");
    }

    [Fact]
    public async Task A_large_series_is_downsampled_with_its_extremes_kept()
    {
        var random = new Random(7);
        var values = new double[20_000];
        for (var i = 1; i < values.Length; i++)
        {
            values[i] = values[i - 1] + random.NextDouble() - 0.5;
        }

        values[12_345] = 1_000;
        values[777] = -1_000;
        var (run, page) = await RunWithSeriesAsync("reward", values);
        var history = await session.Client.Runs.GetMetricHistoryAsync(run.Id, "reward");

        var x = await ChartAsync<double[]>(page, "reward", "gd => gd.data[0].x");
        var y = await ChartAsync<double[]>(page, "reward", "gd => gd.data[0].y");
        Assert.InRange(x.Length, 100, 1000);
        Assert.Equal(history.Max(m => m.Value), y.Max());
        Assert.Equal(history.Min(m => m.Value), y.Min());
        Assert.Equal(history[0].Step, x[0]);
        Assert.Equal(history[^1].Step, x[^1]);
        Assert.Equal(x.Order(), x);
        var byStep = history.ToDictionary(m => (double)m.Step, m => m.Value);
        Assert.All(x.Zip(y), point => Assert.Equal(byStep[point.First], point.Second));
        await Expect(page.Locator("section.chart[data-metric='reward']")).ToHaveAttributeAsync("data-total-points", "20000");
    }

    [Fact]
    public async Task Axis_log_scale_and_smoothing_controls_redraw_the_chart()
    {
        var values = Enumerable.Range(0, 100).Select(i => 1.0 + i).ToList();
        var (run, page) = await RunWithSeriesAsync("loss", values);

        await page.Locator("#x-axis").SelectOptionAsync("WallTime");
        await Expect(page.Locator("section.chart[data-metric='loss'] .xtitle")).ToHaveTextAsync("Wall time (UTC)");
        Assert.Equal("date", await ChartAsync<string>(page, "loss", "gd => gd.layout.xaxis.type"));
        Assert.Equal("2026-11-20 08:00:00.000", await ChartAsync<string>(page, "loss", "gd => gd.data[0].x[0]"));

        await page.Locator("#x-axis").SelectOptionAsync("RelativeTime");
        await Expect(page.Locator("section.chart[data-metric='loss'] .xtitle")).ToHaveTextAsync("Relative time (s)");
        var api = await session.Client.Runs.GetAsync(run.Id);
        var expectedFirst = (SeriesStart - api.StartTime).TotalSeconds;
        Assert.Equal(expectedFirst, await ChartAsync<double>(page, "loss", "gd => gd.data[0].x[0]"));

        await page.Locator("#log-scale").CheckAsync();
        await page.WaitForFunctionAsync("() => document.querySelector(\"section.chart[data-metric='loss'] .js-plotly-plot\").layout.yaxis.type === 'log'");

        await page.Locator("#smoothing").FillAsync("0.9");
        await Expect(page.Locator("section.chart[data-metric='loss'] .scatterlayer .trace")).ToHaveCountAsync(2);
        var smoothed = await ChartAsync<double[]>(page, "loss", "gd => gd.data[1].y");
        Assert.Equal(1.0, smoothed[0], 9);
        Assert.True(smoothed[^1] < values[^1], "the smoothed curve lags behind a rising series");
    }

    [Fact]
    public async Task A_metric_logged_once_shows_as_its_value_and_a_short_series_draws_its_points()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "single");
        var run = await Seed.RunAsync(session.Client, experimentId, "scored", new Dictionary<string, string>(), new Dictionary<string, double> { ["accuracy"] = 0.9375, ["f1"] = 0.88 });
        await Seed.SeriesAsync(session.Client, run.Id, "loss", [0.9, 0.4], SeriesStart);

        var page = await session.OpenAsync($"runs/{run.Id}?tab=charts");

        await Expect(page.Locator(".metric-value[data-metric='accuracy'] .value")).ToHaveTextAsync("0.9375");
        await Expect(page.Locator(".metric-value[data-metric='f1'] .value")).ToHaveTextAsync("0.88");
        await Expect(page.Locator("section.chart[data-metric='accuracy']")).ToHaveCountAsync(0);
        var loss = page.Locator("section.chart[data-metric='loss'] .js-plotly-plot");
        await Expect(loss.Locator(".scatterlayer .trace .points path")).ToHaveCountAsync(2);
        Assert.Equal("lines+markers", await loss.EvaluateAsync<string>("gd => gd.data[0].mode"));
    }

    [Fact]
    public async Task A_running_runs_chart_grows_by_the_new_points_without_a_redraw()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "live");
        var run = await session.Client.Runs.CreateAsync(experimentId, "training");
        await Seed.SeriesAsync(session.Client, run.Id, "loss", Enumerable.Range(0, 10).Select(i => 1.0 / (i + 1)).ToList(), SeriesStart);
        var page = await session.OpenAsync($"runs/{run.Id}?tab=charts");
        var chart = page.Locator("section.chart[data-metric='loss']");
        await Expect(chart.Locator(".js-plotly-plot .scatterlayer")).ToHaveCountAsync(1);
        await page.EvaluateAsync("""
            () => {
                window.plotlyCalls = [];
                for (const name of ['newPlot', 'react', 'extendTraces']) {
                    const original = Plotly[name];
                    Plotly[name] = function (...args) { window.plotlyCalls.push(name); return original.apply(this, args); };
                }
            }
            """);

        var more = Enumerable.Range(10, 1000).Select(i => new Metric("loss", 1.0 / (i + 1), SeriesStart.AddSeconds(i), i)).ToList();
        await session.Client.Runs.LogBatchAsync(run.Id, more);

        await page.WaitForFunctionAsync("() => document.querySelector(\"section.chart[data-metric='loss'] .js-plotly-plot\").data[0].x.length === 1010");
        await Expect(chart).ToHaveAttributeAsync("data-total-points", "1010");
        var calls = await page.EvaluateAsync<string[]>("() => window.plotlyCalls");
        Assert.Contains("extendTraces", calls);
        Assert.DoesNotContain("newPlot", calls);
        Assert.DoesNotContain("react", calls);
        Assert.Equal(1009.0, await ChartAsync<double>(page, "loss", "gd => gd.data[0].x[1009]"));

        await session.Client.Runs.EndAsync(run.Id, RunStatus.Finished);
        await Expect(page.Locator("#run-info .status")).ToHaveTextAsync("FINISHED");
    }

    [Fact]
    public async Task An_unknown_run_says_so()
    {
        var page = await session.OpenAsync("runs/0123456789abcdef0123456789abcdef");
        await Expect(page.Locator("[role=alert]")).ToContainTextAsync("0123456789abcdef0123456789abcdef");
    }
}
