using Cairn.Client.Runs;
using System.Globalization;
using Cairn.Client;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class RunsPageTests(BrowserSession session)
{
    private async Task<string> ExperimentWithRunsAsync(int count)
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "runs");
        for (var i = 0; i < count; i++)
        {
            await Seed.RunAsync(session.Client, experimentId, $"run-{i:000}",
                new Dictionary<string, string> { ["model"] = i % 2 == 0 ? "cnn" : "mlp", ["lr"] = (0.001 * (i + 1)).ToString(CultureInfo.InvariantCulture) },
                new Dictionary<string, double> { ["accuracy"] = (i * 37 % 101) / 100.0, ["loss"] = 1.0 / (i + 1) });
        }

        return experimentId;
    }

    private static async Task<List<string>> ShownRunIdsAsync(IPage page) =>
        [.. await page.Locator("#runs tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.runId)")];

    [Fact]
    public async Task A_filter_shows_the_runs_the_api_returns_for_it_in_the_same_order()
    {
        var experimentId = await ExperimentWithRunsAsync(12);
        var page = await session.OpenAsync($"experiments/{experimentId}");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(12);

        const string filter = "metrics.accuracy > 0.3 and params.model = 'cnn'";
        await page.Locator("#filter").FillAsync(filter);
        await page.Locator("#filter").PressAsync("Enter");

        var api = await session.Client.Runs.SearchAsync([experimentId], filter, ["attributes.start_time DESC"]);
        Assert.InRange(api.Items.Count, 1, 11);
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(api.Items.Count);
        Assert.Equal(api.Items.Select(r => r.Id), await ShownRunIdsAsync(page));
        var first = page.Locator($"#runs tr[data-run-id='{api.Items[0].Id}']");
        await Expect(first.Locator("td[data-param='model']")).ToHaveTextAsync("cnn");
        await Expect(first.Locator("td[data-metric='accuracy']")).ToHaveTextAsync(api.Items[0].Metrics["accuracy"].Value.ToString("G6", CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task A_filter_the_grammar_rejects_is_shown_inline_with_the_servers_message()
    {
        var experimentId = await ExperimentWithRunsAsync(2);
        var page = await session.OpenAsync($"experiments/{experimentId}");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(2);

        await page.Locator("#filter").FillAsync("metrics.accuracy >> 1");
        await page.Locator("#search").ClickAsync();

        var error = await Assert.ThrowsAsync<CairnApiException>(() => session.Client.Runs.SearchAsync([experimentId], "metrics.accuracy >> 1"));
        await Expect(page.Locator(".filter-error")).ToHaveTextAsync(error.ServerMessage!);
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(0);

        await page.Locator("#filter").FillAsync("");
        await page.Locator("#search").ClickAsync();
        await Expect(page.Locator(".filter-error")).ToHaveCountAsync(0);
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task Sorting_by_a_metric_column_matches_the_api_order_both_ways()
    {
        var experimentId = await ExperimentWithRunsAsync(10);
        var page = await session.OpenAsync($"experiments/{experimentId}");
        var header = page.Locator("th.metric", new() { HasText = "accuracy" }).Locator("button");

        await header.ClickAsync();
        await Expect(page.Locator("th.metric[aria-sort='descending']")).ToHaveCountAsync(1);
        var descending = await session.Client.Runs.SearchAsync([experimentId], orderBy: ["metrics.`accuracy` DESC"]);
        Assert.Equal(descending.Items.Select(r => r.Id), await ShownRunIdsAsync(page));

        await header.ClickAsync();
        await Expect(page.Locator("th.metric[aria-sort='ascending']")).ToHaveCountAsync(1);
        var ascending = await session.Client.Runs.SearchAsync([experimentId], orderBy: ["metrics.`accuracy` ASC"]);
        Assert.Equal(ascending.Items.Select(r => r.Id), await ShownRunIdsAsync(page));
    }

    [Fact]
    public async Task Pages_of_a_hundred_runs_follow_the_apis_pages()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "paged");
        for (var i = 0; i < 130; i++)
        {
            await session.Client.Runs.CreateAsync(experimentId, $"run-{i:000}");
        }

        var page = await session.OpenAsync($"experiments/{experimentId}");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(100);
        await Expect(page.Locator("#range")).ToHaveTextAsync("Runs 1–100");
        var first = await session.Client.Runs.SearchAsync([experimentId], maxResults: 100, orderBy: ["attributes.start_time DESC"]);
        Assert.Equal(first.Items.Select(r => r.Id), await ShownRunIdsAsync(page));

        await page.Locator("#next").ClickAsync();
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(30);
        await Expect(page.Locator("#range")).ToHaveTextAsync("Runs 101–130");
        await Expect(page.Locator("#next")).ToBeDisabledAsync();
        var second = await session.Client.Runs.SearchAsync([experimentId], maxResults: 100, orderBy: ["attributes.start_time DESC"], pageToken: first.NextPageToken);
        Assert.Equal(second.Items.Select(r => r.Id), await ShownRunIdsAsync(page));

        await page.ReloadAsync();
        await Expect(page.Locator("#range")).ToHaveTextAsync("Runs 101–130");
        Assert.Equal(second.Items.Select(r => r.Id), await ShownRunIdsAsync(page));

        await page.Locator("#previous").ClickAsync();
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(100);
        await Expect(page.Locator("#previous")).ToBeDisabledAsync();
    }

    [Fact]
    public async Task Nested_runs_sit_under_their_parent_and_open_on_demand()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "nested");
        var parent = await Seed.RunAsync(session.Client, experimentId, "sweep", new Dictionary<string, string>(), new Dictionary<string, double>());
        var children = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            children.Add((await Seed.RunAsync(session.Client, experimentId, $"trial-{i}", new Dictionary<string, string>(), new Dictionary<string, double>(), parent.Id)).Id);
        }

        var page = await session.OpenAsync($"experiments/{experimentId}");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(1);
        var expand = page.Locator($"#runs tr[data-run-id='{parent.Id}'] button.expand");
        await Expect(expand).ToHaveTextAsync("▸ 3");

        await expand.ClickAsync();
        await Expect(page.Locator("#runs tbody tr[data-depth='1']")).ToHaveCountAsync(3);
        var shown = await ShownRunIdsAsync(page);
        Assert.Equal(parent.Id, shown[0]);
        Assert.Equal(children.Order(), shown.Skip(1).Order());
    }

    [Fact]
    public async Task The_table_follows_a_running_run_and_shows_runs_started_later()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "live");
        var run = await session.Client.Runs.CreateAsync(experimentId, "training");
        await session.Client.Runs.LogBatchAsync(run.Id, [new Metric("accuracy", 0.5, DateTimeOffset.UtcNow, 0)]);
        var page = await session.OpenAsync($"experiments/{experimentId}");
        var row = page.Locator($"#runs tr[data-run-id='{run.Id}']");
        await Expect(row.Locator(".status")).ToHaveTextAsync("RUNNING");

        await session.Client.Runs.LogBatchAsync(run.Id, [new Metric("accuracy", 0.75, DateTimeOffset.UtcNow, 1)]);
        await session.Client.Runs.EndAsync(run.Id, RunStatus.Finished);

        await Expect(row.Locator("td[data-metric='accuracy']")).ToHaveTextAsync("0.75");
        await Expect(row.Locator(".status")).ToHaveTextAsync("FINISHED");

        var later = await session.Client.Runs.CreateAsync(experimentId, "second");
        await Expect(page.Locator($"#runs tr[data-run-id='{later.Id}']")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task Chosen_columns_are_the_ones_shown()
    {
        var experimentId = await ExperimentWithRunsAsync(2);
        var page = await session.OpenAsync($"experiments/{experimentId}");
        await Expect(page.Locator("#runs th.param")).ToHaveCountAsync(2);
        await Expect(page.Locator("#runs th.metric")).ToHaveCountAsync(2);

        await page.Locator("details.columns summary").ClickAsync();
        await page.Locator("input[data-column='metric:loss']").UncheckAsync();
        await page.Locator("input[data-column='param:lr']").UncheckAsync();

        await Expect(page.Locator("#runs th.metric")).ToHaveCountAsync(1);
        await Expect(page.Locator("#runs th.metric")).ToContainTextAsync("accuracy");
        await Expect(page.Locator("#runs td[data-metric='loss']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#runs td[data-param='lr']")).ToHaveCountAsync(0);
        await Expect(page.Locator("#runs td[data-param='model']")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task The_column_chooser_offers_keys_of_runs_beyond_the_first_page()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "columns");
        await Seed.RunAsync(session.Client, experimentId, "oldest", new Dictionary<string, string> { ["rare"] = "1" }, new Dictionary<string, double> { ["rare_metric"] = 1 });
        for (var i = 0; i < 100; i++)
        {
            await session.Client.Runs.CreateAsync(experimentId, $"run-{i:000}");
        }

        var page = await session.OpenAsync($"experiments/{experimentId}");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(100);
        await Expect(page.Locator("#runs th.param")).ToHaveCountAsync(0);

        await page.Locator("details.columns summary").ClickAsync();
        await page.Locator("input[data-column='param:rare']").CheckAsync();
        await Expect(page.Locator("input[data-column='metric:rare_metric']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#runs th.param")).ToContainTextAsync("rare");
    }

    [Fact]
    public async Task Selecting_runs_opens_the_compare_view_for_them()
    {
        var experimentId = await ExperimentWithRunsAsync(3);
        var page = await session.OpenAsync($"experiments/{experimentId}");
        await Expect(page.Locator("#compare")).ToBeDisabledAsync();

        var boxes = page.Locator("#runs input.select");
        await boxes.Nth(0).CheckAsync();
        await Expect(page.Locator("#compare")).ToBeDisabledAsync();
        await boxes.Nth(2).CheckAsync();
        await Expect(page.Locator("#compare")).ToHaveTextAsync("Compare (2)");
        await page.Locator("#compare").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync("Compare 2 runs");
        Assert.Contains("compare?runs=", page.Url, StringComparison.Ordinal);
    }
}
