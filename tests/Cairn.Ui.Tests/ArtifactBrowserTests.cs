using System.Text;
using Cairn.Ui.Tests.Infrastructure;

namespace Cairn.Ui.Tests;

[Collection(BrowserCollection.Name)]
public sealed class ArtifactBrowserTests(BrowserSession session)
{
    private const string Pixel = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    [Fact]
    public async Task Folders_open_and_files_preview_as_text_json_tables_and_images()
    {
        var experimentId = await Seed.ExperimentAsync(session.Client, "artifacts");
        var run = await session.Client.Runs.CreateAsync(experimentId, "with-files");
        var root = run.ArtifactUri["mlflow-artifacts:/".Length..];
        using var http = new HttpClient { BaseAddress = session.Server.Address };
        async Task PutAsync(string path, byte[] content) =>
            (await http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{root}/{path}", new ByteArrayContent(content))).EnsureSuccessStatusCode();
        await PutAsync("model/MLmodel", Encoding.UTF8.GetBytes("artifact_path: model\nflavors:\n  sklearn: {}\n"));
        await PutAsync("metrics.json", Encoding.UTF8.GetBytes("""{"auc":0.91,"folds":[1,2]}"""));
        await PutAsync("predictions.csv", Encoding.UTF8.GetBytes("id,label,\"score, raw\"\n1,cat,0.9\n2,dog,\"0.4\"\n"));
        await PutAsync("plot.png", Convert.FromBase64String(Pixel));

        var page = await session.OpenAsync($"runs/{run.Id}?tab=artifacts");
        var list = page.Locator("#artifacts .artifact-list li");
        await Expect(list).ToHaveCountAsync(4);

        await page.Locator("li[data-artifact='model'] button").ClickAsync();
        await page.Locator("li[data-artifact='model/MLmodel'] button").ClickAsync();
        await Expect(page.Locator(".artifact-preview pre")).ToContainTextAsync("sklearn: {}");

        await page.Locator(".artifact-crumbs button", new() { HasText = "artifacts" }).ClickAsync();
        await page.Locator("li[data-artifact='predictions.csv'] button").ClickAsync();
        await Expect(page.Locator(".artifact-preview table.csv th")).ToHaveTextAsync(["id", "label", "score, raw"]);
        await Expect(page.Locator(".artifact-preview table.csv tr")).ToHaveCountAsync(3);

        await page.Locator("li[data-artifact='metrics.json'] button").ClickAsync();
        await Expect(page.Locator(".artifact-preview pre")).ToHaveTextAsync("{\n  \"auc\": 0.91,\n  \"folds\": [\n    1,\n    2\n  ]\n}");

        await page.Locator("li[data-artifact='plot.png'] button").ClickAsync();
        var image = page.Locator(".artifact-preview img");
        await Expect(image).ToHaveCountAsync(1);
        await page.WaitForFunctionAsync("() => document.querySelector('.artifact-preview img').complete");
        Assert.Equal(1, await image.EvaluateAsync<int>("img => img.naturalWidth"));
    }
}
