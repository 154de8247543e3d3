using Cairn.Client;

namespace Cairn.Ui.Tests.Infrastructure;

/// <summary>
/// One real server (Kestrel on port 0) and one headless Chromium for every browser test: starting Chromium costs
/// about a second, and each test makes its own experiment, so tests do not see each other's runs.
/// </summary>
public sealed class BrowserSession : IAsyncLifetime
{
    /// <summary>Debian's Chromium; <c>CAIRN_CHROMIUM</c> names another.</summary>
    public static string ChromiumPath => Environment.GetEnvironmentVariable("CAIRN_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public CairnServer Server { get; } = new();
    public CairnClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Client = Server.Client();
        // Two cores build, serve and draw at once here; the default 5 s is tight for the first plotly.js load.
        SetDefaultExpectTimeout(15_000);
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    /// <summary>A fresh page (its own context) at <paramref name="path"/>, relative to the shared server's address.</summary>
    public Task<IPage> OpenAsync(string path) => OpenAsync(Server.Address, path);

    /// <summary>A fresh page in its own context, still blank.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await _browser!.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 1000 } });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh page (its own context) at <paramref name="path"/>, relative to <paramref name="address"/>.</summary>
    public async Task<IPage> OpenAsync(Uri address, string path)
    {
        var page = await NewPageAsync();
        await page.GotoAsync(new Uri(address, path).ToString());
        await Expect(page.Locator("main[data-interactive=true]")).ToHaveCountAsync(1);
        return page;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await Server.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserSession>
{
    public const string Name = "Browser";
}
