using System.Globalization;
using System.Text.Json.Nodes;
using Cairn.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cairn.Bench.Ui;

/// <summary>
/// The run page of a run with a 1,000,000-point series: from navigation start (the browser's clock) until the chart is drawn; checks the
/// drawn series kept the planted minimum and maximum.
/// </summary>
public static class RunChartScenario
{
    public static async Task<JsonObject> RunAsync(CairnClient client, IBrowser browser, UiBenchOptions options)
    {
        var runId = await BenchData.ChartRunAsync(client);
        var drawn = new Timings("open_until_chart_drawn");
        SetDefaultExpectTimeout(30_000);
        Timings.Progress($"run-chart: {options.Iterations} iterations (+3 warm-up) on run {runId}");
        var shownPoints = 0;
        for (var i = -3; i < options.Iterations; i++)
        {
            await using var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            var chart = page.Locator("section.chart[data-metric='loss']");

            await page.GotoAsync(new Uri(options.Url, $"runs/{runId}").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
            var ready = await page.WaitForFunctionAsync(
                "() => document.querySelector(\"section.chart[data-metric='loss'] .scatterlayer .trace\") ? performance.now() : false",
                null, new PageWaitForFunctionOptions { Timeout = 60_000 });
            if (i >= 0)
            {
                drawn.Record(await ready.JsonValueAsync<double>());
            }

            var y = await chart.Locator(".js-plotly-plot").EvaluateAsync<double[]>("gd => gd.data[0].y");
            if (y.Max() != 10_000 || y.Min() != -10_000)
            {
                throw new InvalidOperationException($"The drawn series lost the planted extremes (min {y.Min()}, max {y.Max()}).");
            }

            shownPoints = y.Length;
        }

        return new JsonObject
        {
            ["scenario"] = UiBenchOptions.RunChart,
            ["series_points"] = BenchData.ChartPoints,
            ["drawn_points"] = shownPoints,
            ["results"] = new JsonArray(drawn.Summary()),
            ["note"] = string.Create(CultureInfo.InvariantCulture, $"includes loading plotly.js in a fresh browser context each time"),
        };
    }
}
