using Cairn.Client.Runs;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ComparePageTests(BrowserSession session)
{
    private async Task<List<Run>> RunsAsync()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "compare");
        var runs = new List<Run>();
        string[] models = ["cnn", "cnn", "mlp"];
        for (var i = 0; i < 3; i++)
        {
            var run = await Seed.RunAsync(session.Client, experimentId, $"trial-{i}",
                new Dictionary<string, string> { ["model"] = models[i], ["epochs"] = "10", ["lr"] = $"0.0{i + 1}" },
                new Dictionary<string, double> { ["accuracy"] = 0.7 + i * 0.1 });
            await Seed.SeriesAsync(session.Client, run.Id, "loss", Enumerable.Range(0, 50).Select(s => 1.0 / (s + 1 + i)).ToList(), DateTimeOffset.UtcNow);
            runs.Add(await session.Client.Runs.GetAsync(run.Id));
        }

        return runs;
    }

    [Fact]
    public async Task The_diff_table_matches_the_api_and_marks_what_differs()
    {
        var runs = await RunsAsync();
        var page = await session.OpenAsync("compare?runs=" + string.Join(',', runs.Select(r => r.Id)));
        await Expect(page.Locator("h1")).ToHaveTextAsync("Compare 3 runs");

        await Expect(page.Locator("#diff tr[data-key='epochs']")).Not.ToHaveClassAsync("differs");
        await Expect(page.Locator("#diff tr[data-key='model']")).ToHaveClassAsync("differs");
        await Expect(page.Locator("#diff tr[data-key='model'] td")).ToHaveTextAsync(runs.Select(r => r.Params["model"]));
        await Expect(page.Locator("#diff tr[data-kind='metric'][data-key='accuracy'] td")).ToHaveTextAsync(runs.Select(r => r.Metrics["accuracy"].Value.ToString("G6", System.Globalization.CultureInfo.InvariantCulture)));

        await page.Locator("#only-differences").CheckAsync();
        await Expect(page.Locator("#diff tr[data-key='epochs']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#diff tbody tr")).ToHaveCountAsync(4); // model, lr, accuracy, loss
    }

    [Fact]
    public async Task Metric_charts_overlay_one_line_per_run_and_parallel_coordinates_span_params_and_the_metric()
    {
        var runs = await RunsAsync();
        var page = await session.OpenAsync("compare?runs=" + string.Join(',', runs.Select(r => r.Id)));

        var chart = page.Locator("section.chart[data-metric='loss'] .js-plotly-plot");
        await Expect(chart.Locator(".scatterlayer .trace")).ToHaveCountAsync(3);
        Assert.Equal(runs.Select(r => r.Name), await chart.EvaluateAsync<string[]>("gd => gd.data.map(t => t.name)"));
        var lengths = await chart.EvaluateAsync<int[]>("gd => gd.data.map(t => t.x.length)");
        Assert.Equal(new[] { 50, 50, 50 }, lengths);

        var parallel = page.Locator("#parallel-chart");
        await Expect(parallel.Locator(".parcoords")).ToHaveCountAsync(1);
        var labels = await parallel.EvaluateAsync<string[]>("gd => gd.data[0].dimensions.map(d => d.label)");
        Assert.Equal(new[] { "epochs", "lr", "model", "accuracy" }, labels);
        Assert.Equal(runs.Select(r => r.Metrics["accuracy"].Value), await parallel.EvaluateAsync<double[]>("gd => gd.data[0].dimensions[3].values"));

        await page.Locator("#parallel-metric").SelectOptionAsync("loss");
        await page.WaitForFunctionAsync("() => document.getElementById('parallel-chart').data[0].dimensions[3].label === 'loss'");
    }

    [Fact]
    public async Task A_metric_each_run_logged_once_is_drawn_as_one_bar_per_run()
    {
        var runs = await RunsAsync();
        var page = await session.OpenAsync("compare?runs=" + string.Join(',', runs.Select(r => r.Id)));

        var bars = page.Locator("section.chart.bars[data-metric='accuracy'] .js-plotly-plot");
        await Expect(bars.Locator(".barlayer .point")).ToHaveCountAsync(3);
        Assert.Equal(runs.Select(r => r.Name), await bars.EvaluateAsync<string[]>("gd => gd.data[0].x"));
        Assert.Equal(runs.Select(r => r.Metrics["accuracy"].Value), await bars.EvaluateAsync<double[]>("gd => gd.data[0].y"));
        await Expect(page.Locator("section.chart[data-metric='loss'] .js-plotly-plot .scatterlayer .trace")).ToHaveCountAsync(3);
    }

    [Fact]
    public async Task Fewer_than_two_runs_is_explained()
    {
        var runs = await RunsAsync();
        var page = await session.OpenAsync("compare?runs=" + runs[0].Id);
        await Expect(page.Locator("[role=alert]")).ToContainTextAsync("between 2 and 20 runs");
    }
}
