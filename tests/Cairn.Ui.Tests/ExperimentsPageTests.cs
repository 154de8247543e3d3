using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ExperimentsPageTests(BrowserSession session)
{
    [Fact]
    public async Task Lists_every_experiment_the_api_returns_with_its_run_count()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "listed");
        for (var i = 0; i < 3; i++)
        {
            await Seed.RunAsync(session.Client, experimentId, $"run-{i}", new Dictionary<string, string>(), new Dictionary<string, double>());
        }

        var page = await session.OpenAsync("");

        var api = await session.Client.Experiments.SearchAsync(maxResults: 1000);
        var rows = page.Locator("#experiments tbody tr");
        await Expect(rows).ToHaveCountAsync(api.Items.Count);
        var row = page.Locator($"#experiments tr[data-experiment-id='{experimentId}']");
        var name = api.Items.Single(e => e.Id == experimentId).Name;
        await Expect(row.Locator("td").Nth(0)).ToHaveTextAsync(name);
        await Expect(row.Locator("td").Nth(2)).ToHaveTextAsync("3");

        await row.GetByRole(AriaRole.Link, new() { Name = name }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync(name);
    }
}
