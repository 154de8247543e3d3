using System.Text.Json.Nodes;
using Cairn.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Cairn.Bench.Ui;

/// <summary>
/// The runs page of an experiment with 10,000 runs: from navigation start (the browser's own clock) until the
/// first 100 rows are on screen from the interactive circuit, then a filter and a sort, each until the new first
/// row is the one the API names. The browser checks every animation frame, so no polling interval is counted.
/// </summary>
public static class RunsPageScenario
{
    private const string Filter = "metrics.accuracy > 0.5 and params.model = 'cnn'";
    private const double TargetP95Ms = 1000;

    public static async Task<JsonObject> RunAsync(CairnClient client, IBrowser browser, UiBenchOptions options)
    {
        var experimentId = await BenchData.RunsAsync(client);
        var filtered = (await client.Runs.SearchAsync([experimentId], Filter, ["attributes.start_time DESC"], maxResults: 1)).Items[0].Id;
        var sorted = (await client.Runs.SearchAsync([experimentId], orderBy: ["metrics.`accuracy` DESC"], maxResults: 1)).Items[0].Id;

        var open = new Timings("open_until_interactive");
        var filter = new Timings("filter_round_trip");
        var sort = new Timings("sort_round_trip");
        SetDefaultExpectTimeout(30_000);
        Timings.Progress($"runs-page: {options.Iterations} iterations (+3 warm-up) on experiment {experimentId}");
        for (var i = -3; i < options.Iterations; i++)
        {
            await using var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
            var page = await context.NewPageAsync();

            async Task<double> Open()
            {
                await page.GotoAsync(new Uri(options.Url, $"experiments/{experimentId}").ToString(), new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
                var ready = await page.WaitForFunctionAsync(
                    "() => document.querySelector('#runs[data-interactive=true]') && document.querySelectorAll('#runs tbody tr').length === 100 ? performance.now() : false",
                    null, new PageWaitForFunctionOptions { PollingInterval = null, Timeout = 30_000 });
                return await ready.JsonValueAsync<double>();
            }

            async Task FirstRowIs(string runId) => await page.WaitForFunctionAsync(
                "id => document.querySelector('#runs tbody tr')?.dataset.runId === id", runId, new PageWaitForFunctionOptions { Timeout = 30_000 });

            async Task FilterRuns()
            {
                await page.Locator("#filter").FillAsync(Filter);
                await page.Locator("#filter").PressAsync("Enter");
                await FirstRowIs(filtered);
            }

            async Task Sort()
            {
                await page.Locator("#filter").FillAsync("");
                await page.Locator("#filter").PressAsync("Enter");
                await Expect(page.Locator("#range")).ToHaveTextAsync("Runs 1–100");
                await page.Locator("th.metric", new PageLocatorOptions { HasText = "accuracy" }).Locator("button").ClickAsync();
                await FirstRowIs(sorted);
            }

            if (i < 0)
            {
                await Open();
                await FilterRuns();
                await Sort();
                continue;
            }

            open.Record(await Open());
            await filter.MeasureAsync(FilterRuns);
            // Clearing the filter is part of the setup for the sort, not of the sort's time.
            await page.Locator("#filter").FillAsync("");
            await page.Locator("#filter").PressAsync("Enter");
            await Expect(page.Locator("#range")).ToHaveTextAsync("Runs 1–100");
            await sort.MeasureAsync(async () =>
            {
                await page.Locator("th.metric", new PageLocatorOptions { HasText = "accuracy" }).Locator("button").ClickAsync();
                await FirstRowIs(sorted);
            });
        }

        return new JsonObject
        {
            ["scenario"] = UiBenchOptions.RunsPage,
            ["runs"] = BenchData.RunCount,
            ["results"] = new JsonArray(open.Summary(TargetP95Ms), filter.Summary(), sort.Summary()),
        };
    }
}
