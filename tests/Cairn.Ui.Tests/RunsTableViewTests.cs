using System.Globalization;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

/// <summary>The runs table's view: what is kept in the address, which columns it starts with, how it fits the window.</summary>
[Collection(BrowserCollection.Name)]
public sealed class RunsTableViewTests(BrowserSession session)
{
    private static async Task<string[]> TextsAsync(ILocator locator) => await locator.EvaluateAllAsync<string[]>("els => els.map(e => e.textContent.trim())");

    [Fact]
    public async Task Filter_sort_and_columns_live_in_the_address_and_survive_a_reload()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "address");
        for (var i = 0; i < 8; i++)
        {
            await Seed.RunAsync(session.Client, experimentId, $"run-{i}",
                new Dictionary<string, string> { ["model"] = i % 2 == 0 ? "cnn" : "mlp", ["lr"] = $"0.0{i}" },
                new Dictionary<string, double> { ["accuracy"] = (i * 37 % 11) / 10.0, ["loss"] = 1.0 / (i + 1) });
        }

        var page = await session.OpenAsync($"experiments/{experimentId}");
        await page.Locator("#filter").FillAsync("params.model = 'cnn'");
        await page.Locator("#filter").PressAsync("Enter");
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(4);
        await page.Locator("th.metric", new() { HasText = "accuracy" }).Locator("button").ClickAsync();
        await Expect(page.Locator("th.metric[aria-sort='descending']")).ToHaveCountAsync(1);
        await page.Locator("details.columns summary").ClickAsync();
        await page.Locator("input[data-column='metric:loss']").UncheckAsync();
        await Expect(page.Locator("#runs th.metric")).ToHaveCountAsync(1);
        Assert.Contains("filter=params.model", Uri.UnescapeDataString(page.Url), StringComparison.Ordinal);

        await page.ReloadAsync();
        await Expect(page.Locator("main[data-interactive=true]")).ToHaveCountAsync(1);

        await Expect(page.Locator("#filter")).ToHaveValueAsync("params.model = 'cnn'");
        await Expect(page.Locator("th.metric[aria-sort='descending']")).ToContainTextAsync("accuracy");
        await Expect(page.Locator("#runs th.metric")).ToHaveCountAsync(1);
        var api = await session.Client.Runs.SearchAsync([experimentId], "params.model = 'cnn'", ["metrics.`accuracy` DESC"]);
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(api.Items.Count);
        Assert.Equal(api.Items.Select(r => r.Id), await page.Locator("#runs tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.runId)"));
    }

    [Fact]
    public async Task The_table_starts_with_the_columns_that_tell_the_runs_apart_and_offers_tags_user_and_source()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "varying");
        for (var i = 0; i < 3; i++)
        {
            var run = await Seed.RunAsync(session.Client, experimentId, $"trial-{i}",
                new Dictionary<string, string> { ["a_constant"] = "same", ["epochs"] = "10", ["model"] = $"m{i}", ["lr"] = $"0.{i + 1}" },
                new Dictionary<string, double> { ["accuracy"] = 0.5 + i / 10.0, ["batches"] = 100 });
            await session.Client.Runs.LogBatchAsync(run.Id, [], tags: new Dictionary<string, string>
            {
                ["team"] = i == 0 ? "vision" : "nlp", ["mlflow.user"] = "ada", ["mlflow.source.name"] = $"train_{i}.py",
            });
        }

        var page = await session.OpenAsync($"experiments/{experimentId}");

        Assert.Equal(["lr", "model"], await TextsAsync(page.Locator("#runs th.param")));
        Assert.Equal(["accuracy"], await TextsAsync(page.Locator("#runs th.metric")));
        Assert.Equal(["Source"], await TextsAsync(page.Locator("#runs th.attr")));
        Assert.Equal(["team"], await TextsAsync(page.Locator("#runs th.tag")));
        await Expect(page.Locator("#runs td[data-column='attr:source']").First).ToHaveTextAsync("train_2.py");

        await page.Locator("details.columns summary").ClickAsync();
        await page.Locator("input[data-column='attr:user']").CheckAsync();
        await Expect(page.Locator("#runs td[data-column='attr:user']")).ToHaveTextAsync(["ada", "ada", "ada"]);
        await Expect(page.Locator("input[data-column='tag:mlflow.user']")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_columns_menu_fits_the_window_and_finds_a_column_and_long_names_stay_on_one_line()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "wide");
        var parameters = Enumerable.Range(0, 60).ToDictionary(i => $"model.encoder.layer_{i:00}.attention_dropout_probability", i => i.ToString(CultureInfo.InvariantCulture));
        await Seed.RunAsync(session.Client, experimentId, "resnet50-finetune-imagenet-lr0.001-batch256-warmup-cosine", parameters, new Dictionary<string, double> { ["accuracy"] = 0.9 });
        var page = await session.OpenAsync($"experiments/{experimentId}");
        await page.SetViewportSizeAsync(1440, 900);

        await page.Locator("details.columns summary").ClickAsync();
        var menu = page.Locator(".column-menu");
        await Expect(menu).ToBeVisibleAsync();
        var box = (await menu.BoundingBoxAsync())!;
        Assert.InRange(box.X, 0, 1440);
        Assert.InRange(box.X + box.Width, 0, 1440);
        Assert.InRange(box.Y + box.Height, 0, 900);

        await page.Locator("#column-search").FillAsync("layer_42");
        await Expect(menu.Locator("input[type=checkbox]")).ToHaveCountAsync(1);
        await menu.Locator("input[type=checkbox]").CheckAsync();
        await Expect(page.Locator("#runs th.param", new() { HasText = "layer_42" })).ToHaveCountAsync(1);

        var name = page.Locator("#runs td.name a");
        var lineHeight = await name.EvaluateAsync<double>("a => parseFloat(getComputedStyle(a).lineHeight) || 20");
        Assert.True((await name.BoundingBoxAsync())!.Height < 1.6 * lineHeight, "the run name wraps");
    }

    [Fact]
    public async Task An_empty_experiment_explains_how_to_log_its_first_run_and_shows_it_when_it_starts()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "empty");
        var name = (await session.Client.Experiments.GetAsync(experimentId)).Name;
        var page = await session.OpenAsync($"experiments/{experimentId}");

        var help = page.Locator("#first-run");
        await Expect(help).ToContainTextAsync($"mlflow.set_experiment(\"{name}\")");
        await Expect(help).ToContainTextAsync($"mlflow.set_tracking_uri(\"{session.Server.Address.ToString().TrimEnd('/')}\")");

        var run = await session.Client.Runs.CreateAsync(experimentId, "first");
        await Expect(page.Locator($"#runs tr[data-run-id='{run.Id}']")).ToHaveCountAsync(1);
    }
}
