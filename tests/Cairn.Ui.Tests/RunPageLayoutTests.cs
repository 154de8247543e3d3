using System.Globalization;
using System.Text.Json;
using Cairn.Client.Runs;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

/// <summary>How the run page is laid out: tabs, metric groups, the description, tags, related runs and models.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RunPageLayoutTests(BrowserSession session)
{
    private static readonly DateTimeOffset Start = new(2026, 11, 20, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Charts_sit_in_a_tab_under_the_heading_grouped_by_prefix_with_system_metrics_apart()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "groups");
        var run = await Seed.RunAsync(session.Client, experimentId, "grouped", new Dictionary<string, string>(), new Dictionary<string, double> { ["test/f1"] = 0.8 });
        await Seed.SeriesAsync(session.Client, run.Id, "train/loss", Enumerable.Range(0, 3000).Select(i => Math.Pow(10, -3.0 * i / 3000)).ToList(), Start);
        await Seed.SeriesAsync(session.Client, run.Id, "eval/accuracy", [0.5, 0.6, 0.7], Start);
        await Seed.SeriesAsync(session.Client, run.Id, "system/cpu_utilization_percentage", [12, 40, 38], Start);
        var page = await session.OpenAsync($"runs/{run.Id}");

        await page.Locator("#run-tabs a[data-tab='charts']").ClickAsync();
        await Expect(page.Locator("section.metric-group")).ToHaveCountAsync(3);
        Assert.Equal(["eval/", "test/", "train/"], await page.Locator("section.metric-group").EvaluateAllAsync<string[]>("s => s.map(g => g.dataset.group)"));
        await Expect(page.Locator("section.metric-group[data-group='test/'] .metric-value[data-metric='test/f1']")).ToHaveCountAsync(1);
        await Expect(page.Locator("section.chart[data-metric^='system/']")).ToHaveCountAsync(0);
        var tabs = (await page.Locator("#run-tabs").BoundingBoxAsync())!;
        Assert.True(tabs.Y < 400, $"the tabs start {tabs.Y}px down the page");

        var loss = page.Locator("section.chart[data-metric='train/loss']");
        await Expect(loss.Locator(".chart-head h3")).ToHaveTextAsync("train/loss");
        await Expect(loss.Locator(".chart-head .points")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9,]+ of 3,000 points$"));

        await Expect(loss.Locator(".js-plotly-plot .scatterlayer")).ToHaveCountAsync(1);
        await page.Locator("#log-scale").CheckAsync();
        await page.WaitForFunctionAsync("() => document.querySelector(\"section.chart[data-metric='train/loss'] .js-plotly-plot\")?.layout?.yaxis?.type === 'log'");
        await Expect(loss.Locator(".ytick text").First).ToBeVisibleAsync();
        var labels = await loss.Locator(".ytick text").AllTextContentsAsync();
        var values = labels.Select(l => double.Parse(l.Replace('−', '-'), NumberStyles.Float, CultureInfo.InvariantCulture)).ToList();
        Assert.True(values.Count >= 3, string.Join(" ", labels));
        Assert.Equal(values.Order(), values);

        await page.Locator("#run-tabs a[data-tab='system']").ClickAsync();
        await Expect(page.Locator("section.chart[data-metric='system/cpu_utilization_percentage'] .js-plotly-plot")).ToHaveCountAsync(1);
        await Expect(page.Locator("#run-tabs a.active")).ToHaveTextAsync("System metrics");
    }

    [Fact]
    public async Task The_overview_shows_the_note_as_markdown_folds_mlflow_tags_and_links_parent_children_and_models()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "overview");
        var parent = await session.Client.Runs.CreateAsync(experimentId, "sweep");
        const string note = "# Sweep notes\n\nTrying **cosine** decay, see [the paper](https://example.com/paper) and [this](javascript:alert(1)).\n\n<script>alert(2)</script>";
        await session.Client.Runs.LogBatchAsync(parent.Id, [], tags: new Dictionary<string, string>
        {
            ["mlflow.note.content"] = note, ["mlflow.user"] = "ada", ["mlflow.source.name"] = "sweep.py", ["team"] = "vision",
        });
        var children = new List<Run>();
        for (var i = 0; i < 2; i++)
        {
            children.Add(await Seed.RunAsync(session.Client, experimentId, $"trial-{i}", new Dictionary<string, string>(), new Dictionary<string, double>(), parent.Id));
        }

        var modelJson = JsonSerializer.Serialize(new { artifact_path = "model", flavors = new { sklearn = new { }, python_function = new { } }, utc_time_created = "2026-11-20 08:00:00.000000", run_id = parent.Id });
        await new RegistryCalls(session.Server.Address).PostAsync("runs/log-model", new { run_id = parent.Id, model_json = modelJson });

        var page = await session.OpenAsync($"runs/{parent.Id}");

        var description = page.Locator("#description");
        await Expect(description.Locator("h3")).ToHaveTextAsync("Sweep notes");
        await Expect(description.Locator("strong")).ToHaveTextAsync("cosine");
        await Expect(description.Locator("a[href='https://example.com/paper']")).ToHaveCountAsync(1);
        await Expect(description.Locator("a[href^='javascript']")).ToHaveCountAsync(0);
        await Expect(description.Locator("script")).ToHaveCountAsync(0);
        await Expect(page.Locator("#run-user")).ToHaveTextAsync("ada");
        await Expect(page.Locator("#tags tr")).ToHaveCountAsync(1);
        await Expect(page.Locator("#tags tr[data-key='team'] td")).ToHaveTextAsync("vision");
        var system = page.Locator("#system-tags tr[data-key='mlflow.source.name']");
        await Expect(system).ToBeHiddenAsync();
        await page.Locator("#system-tags summary").ClickAsync();
        await Expect(system.Locator("td")).ToHaveTextAsync("sweep.py");
        await Expect(page.Locator("#logged-models li[data-model='model']")).ToContainTextAsync("sklearn");
        await Expect(page.Locator("#children li")).ToHaveCountAsync(2);

        await page.Locator($"#children li[data-run-id='{children[1].Id}'] a").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("trial-1");
        await page.Locator("#parent-run").ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("sweep");
    }
}
