using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ModelPagesTests(BrowserSession session)
{
    private RegistryCalls Registry => new(session.Server.Address);

    /// <summary>A run that trained on one dataset, registered three times as a model with an alias and a stage.</summary>
    private async Task<(string Name, string RunId, string ExperimentId)> TrainedModelAsync(string prefix)
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, prefix);
        var run = await Seed.RunAsync(session.Client, experimentId, "trainer", new Dictionary<string, string>(), new Dictionary<string, double> { ["auc"] = 0.91 });
        await Registry.PostAsync("runs/log-inputs", new
        {
            run_id = run.Id,
            datasets = new[]
            {
                new
                {
                    tags = new[] { new { key = "mlflow.data.context", value = "training" } },
                    dataset = new { name = "cards", digest = $"d{Guid.NewGuid():N}"[..12], source_type = "local", source = "{}" },
                },
            },
        });
        var name = await Registry.ModelAsync(prefix, run.Id, versions: 3, description: "scores payments");
        await Registry.PostAsync("registered-models/alias", new { name, alias = "champion", version = "2" });
        await Registry.PostAsync("registered-models/alias", new { name, alias = "champion", version = "3" });
        await Registry.PostAsync("model-versions/transition-stage", new { name, version = "3", stage = "Production" });
        return (name, run.Id, experimentId);
    }

    [Fact]
    public async Task The_models_list_shows_latest_versions_aliases_and_stages_as_the_api_does()
    {
        var (name, _, _) = await TrainedModelAsync("listed");
        var api = (await Registry.GetAsync($"registered-models/get?name={name}"))["registered_model"]!;

        var page = await session.OpenAsync("models");
        var row = page.Locator($"#models tr[data-model-name='{name}']");

        await Expect(row.Locator("td.latest")).ToHaveTextAsync("v3");
        await Expect(row.Locator(".chip")).ToHaveTextAsync($"champion → v{api["aliases"]![0]!["version"]}");
        await Expect(row.Locator(".stage.production")).ToHaveTextAsync("Production v3");
    }

    [Fact]
    public async Task A_bad_model_filter_shows_the_servers_message_inline()
    {
        var page = await session.OpenAsync("models");

        await page.FillAsync("#model-filter", "stage = 'x'");
        await page.ClickAsync("#model-search");

        await Expect(page.Locator(".filter-error")).ToContainTextAsync("Invalid attribute key 'stage'");
    }

    [Fact]
    public async Task The_model_page_shows_versions_aliases_and_the_history_of_changes()
    {
        var (name, runId, _) = await TrainedModelAsync("detailed");
        var events = (await Registry.EventsAsync(name))["events"]!.AsArray();

        var page = await session.OpenAsync($"models/{name}");

        await Expect(page.Locator("#versions tbody tr")).ToHaveCountAsync(3);
        await Expect(page.Locator("#versions tr[data-version='3'] .stage")).ToHaveTextAsync("Production");
        await Expect(page.Locator("#versions tr[data-version='3'] a")).ToHaveAttributeAsync("href", $"runs/{runId}");
        await Expect(page.Locator("#aliases tr[data-alias='champion'] td").Nth(1)).ToHaveTextAsync("v3");
        await Expect(page.Locator("#history tbody tr")).ToHaveCountAsync(events.Count);
        var actions = await page.Locator("#history tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.action)");
        Assert.Equal(events.Select(e => (string)e!["action"]!), actions);
        var move = page.Locator("#history tr[data-action='model_version_alias.created']").First;
        await Expect(move.Locator("td.json").First).ToContainTextAsync("\"version\":\"2\"");
        await Expect(move.Locator("td.json").Last).ToContainTextAsync("\"version\":\"3\"");
    }

    [Fact]
    public async Task The_model_page_draws_lineage_back_to_the_run_dataset_and_experiment()
    {
        var (name, runId, experimentId) = await TrainedModelAsync("lineage");
        var page = await session.OpenAsync($"models/{name}");
        var lineage = page.Locator("#lineage");

        await Expect(lineage).ToHaveAttributeAsync("data-id", $"{name}/3");
        await Expect(lineage.Locator("g.node.root")).ToHaveAttributeAsync("data-id", $"{name}/3");
        await Expect(lineage.Locator($"g.node[data-kind='run'][data-id='{runId}']")).ToHaveCountAsync(1);
        await Expect(lineage.Locator($"g.node[data-kind='experiment'][data-id='{experimentId}']")).ToHaveCountAsync(1);
        await Expect(lineage.Locator("g.node[data-kind='dataset']")).ToHaveCountAsync(1);
        await Expect(lineage.Locator($"line.edge[data-from='run:{runId}'][data-to='model_version:{name}/3']")).ToHaveCountAsync(1);

        await page.ClickAsync("#versions tr[data-version='1'] button");

        await Expect(lineage).ToHaveAttributeAsync("data-id", $"{name}/1");
        await Expect(lineage.Locator("g.node.root")).ToHaveAttributeAsync("data-id", $"{name}/1");
    }

    [Fact]
    public async Task The_run_page_shows_the_model_versions_made_from_it_and_links_to_them()
    {
        var (name, runId, _) = await TrainedModelAsync("downstream");
        var page = await session.OpenAsync($"runs/{runId}");
        var lineage = page.Locator("#lineage");

        await Expect(lineage.Locator("g.node[data-kind='model_version']")).ToHaveCountAsync(3);
        await Expect(lineage.Locator("g.node.root")).ToHaveAttributeAsync("data-id", runId);

        await lineage.Locator($"g.node[data-id='{name}/2'] a").ClickAsync();

        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
    }

    [Fact]
    public async Task An_unknown_model_says_so()
    {
        var page = await session.OpenAsync("models/no-such-model");

        await Expect(page.Locator("p.error")).ToContainTextAsync("no-such-model");
    }
}
