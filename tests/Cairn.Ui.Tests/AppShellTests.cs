using System.Net;
using System.Text;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

/// <summary>What every page shares: the not-found page, the loading state, the navigation, fonts and focus.</summary>
[Collection(BrowserCollection.Name)]
public sealed class AppShellTests(BrowserSession session)
{
    [Fact]
    public async Task A_direct_load_of_an_unknown_address_shows_the_apps_not_found_page_and_api_clients_keep_theirs()
    {
        var page = await session.NewPageAsync();

        var response = await page.GotoAsync(new Uri(session.Server.Address, "no/such/page").ToString());

        Assert.Equal(404, response!.Status);
        await Expect(page.Locator("h1")).ToHaveTextAsync("Not found");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to the experiments" })).ToHaveCountAsync(1);

        using var http = new HttpClient();
        using var api = await http.GetAsync(new Uri(session.Server.Address, "api/2.0/mlflow/no-such-route"));
        Assert.Equal(HttpStatusCode.NotFound, api.StatusCode);
        Assert.DoesNotContain("<html", await api.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_page_says_it_is_loading_until_the_live_connection_draws_it()
    {
        var page = await session.NewPageAsync();
        var release = new TaskCompletionSource();
        await page.RouteAsync("**/_framework/blazor.web*.js", async route =>
        {
            await release.Task;
            await route.ContinueAsync();
        });

        await page.GotoAsync(session.Server.Address.ToString(), new() { WaitUntil = WaitUntilState.Commit });
        await Expect(page.Locator("#app-loading")).ToBeVisibleAsync();
        await Expect(page.Locator("#app-loading")).ToContainTextAsync("Loading");

        release.SetResult();
        await Expect(page.Locator("main[data-interactive=true]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#app-loading")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_navigation_marks_where_you_are_and_the_heading_draws_no_focus_ring()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "shell");
        var run = await Seed.RunAsync(session.Client, experimentId, "shell-run", new Dictionary<string, string>(), new Dictionary<string, double>());
        var page = await session.OpenAsync($"runs/{run.Id}");
        await Expect(page.Locator("#main-nav a.active")).ToHaveTextAsync("Experiments");

        await page.WaitForFunctionAsync("() => document.activeElement && document.activeElement.tagName === 'H1'");
        Assert.Equal("none", await page.EvaluateAsync<string>("() => getComputedStyle(document.activeElement).outlineStyle"));

        await page.Locator("#main-nav a", new() { HasText = "Models" }).ClickAsync();
        await Expect(page.Locator("h1")).ToHaveTextAsync("Models");
        await Expect(page.Locator("#main-nav a.active")).ToHaveTextAsync("Models");
    }

    [Fact]
    public async Task Folders_in_the_artifact_list_use_no_emoji_the_browsers_fonts_lack()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "glyphs");
        var run = await session.Client.Runs.CreateAsync(experimentId, "with-folder");
        var root = run.ArtifactUri["mlflow-artifacts:/".Length..];
        using var http = new HttpClient { BaseAddress = session.Server.Address };
        (await http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{root}/model/MLmodel", new ByteArrayContent(Encoding.UTF8.GetBytes("flavors: {}")))).EnsureSuccessStatusCode();

        var page = await session.OpenAsync($"runs/{run.Id}?tab=artifacts");

        await Expect(page.Locator("li[data-artifact='model'] button")).ToHaveTextAsync("model/");
        Assert.False(await page.EvaluateAsync<bool>("() => /\\p{Extended_Pictographic}/u.test(document.body.innerText)"));
    }
}
