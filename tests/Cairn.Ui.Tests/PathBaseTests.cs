using Cairn.Client;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class PathBaseTests(BrowserSession session)
{
    [Fact]
    public async Task Under_a_path_base_the_pages_links_and_live_updates_stay_under_it()
    {
        await using var server = new CairnServer(new Dictionary<string, string> { ["Cairn:PathBase"] = "/mlflow" });
        var mounted = new Uri(server.Address, "mlflow/");
        var client = new CairnClient(new HttpClient { BaseAddress = mounted });
        var experimentId = await Seed.ExperimentAsync(client, "mounted");
        var run = await Seed.RunAsync(client, experimentId, "under-prefix", new Dictionary<string, string> { ["depth"] = "6" }, new Dictionary<string, double> { ["auc"] = 0.9 });

        var page = await session.OpenAsync(mounted, "");
        await page.Locator($"#experiments tr[data-experiment-id='{experimentId}'] a").ClickAsync();
        await Expect(page.Locator("#runs tbody tr")).ToHaveCountAsync(1);
        Assert.StartsWith(mounted + "experiments/", page.Url, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Link, new() { Name = "under-prefix" }).ClickAsync();
        await Expect(page.Locator("#params tr[data-key='depth'] td")).ToHaveTextAsync("6");
        Assert.Equal(mounted + $"runs/{run.Id}", page.Url);
    }
}
