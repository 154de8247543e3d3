using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Bench.Ui;
using Cairn.Client;
using Microsoft.Playwright;

// Browser benchmark of Cairn's web UI: how long until a page is interactive, measured in headless Chromium.
var options = UiBenchOptions.Parse(args);
using var http = new HttpClient { BaseAddress = options.Url, Timeout = TimeSpan.FromMinutes(5) };
var client = new CairnClient(http);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = options.Chromium,
    Headless = true,
    Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});

var report = new JsonObject { ["url"] = options.Url.ToString(), ["iterations"] = options.Iterations, ["scenarios"] = new JsonArray() };
var scenarios = (JsonArray)report["scenarios"]!;
if (options.Runs(UiBenchOptions.RunsPage))
{
    scenarios.Add(await RunsPageScenario.RunAsync(client, browser, options));
}

if (options.Runs(UiBenchOptions.RunChart))
{
    scenarios.Add(await RunChartScenario.RunAsync(client, browser, options));
}

var json = report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
Console.WriteLine(json);
if (options.Out is { } path)
{
    Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    await File.WriteAllTextAsync(path, json);
}
