using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Artifacts;

/// <summary>Path safety on the S3 store: the same refusals, checked against the bucket.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3ArtifactPathSafetyTests(MotoServer moto) : ArtifactPathSafetyTests(new S3Backend(moto));

/// <summary>Every form of path that could reach outside the artifact store is refused, and nothing is read or written.</summary>
public abstract class ArtifactPathSafetyTests(ArtifactBackend store) : IAsyncLifetime
{
    protected const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";

    protected CairnApp App { get; } = new(store.Settings);

    protected HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Http = App.CreateClient();
        // Start the server, then plant a secret beside the artifact root.
        await Http.GetAsync("/health");
        await store.PlantOutsideAsync(App, "secret");
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    protected static async Task IsRefusedAsync(HttpResponseMessage response, string reason)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Equal("INVALID_PARAMETER_VALUE", (string?)JsonNode.Parse(text)!["error_code"]);
        Assert.Contains(reason, text, StringComparison.Ordinal);
        Assert.DoesNotContain("secret\"", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../secret.txt", "'..'")]
    [InlineData("1/run/artifacts/../../../secret.txt", "'..'")]
    [InlineData("/etc/passwd", "absolute")]
    [InlineData("C:/Windows/win.ini", "absolute")]
    [InlineData("1/./run", "'.'")]
    [InlineData("%2e%2e/secret.txt", "'..'")]
    [InlineData("..%2fsecret.txt", "'..'")]
    [InlineData("1\\..\\..\\secret.txt", "backslash")]
    [InlineData("a\0b", "NUL")]
    [InlineData("%252e%252e/secret.txt", "encoded twice")]
    [InlineData("file:///etc", "URI scheme")]
    [InlineData("s3://bucket/key", "URI scheme")]
    [InlineData("a//b", "empty segment")]
    public async Task Listing_refuses(string path, string reason) =>
        await IsRefusedAsync(await Http.GetAsync($"{Proxy}?path={Uri.EscapeDataString(path)}"), reason);

    [Theory]
    [InlineData("..%2Fsecret.txt", "'..'")]
    [InlineData("%2e%2e%2Fsecret.txt", "'..'")]
    [InlineData("a/..%5C..%5Csecret.txt", "backslash")]
    [InlineData("a/%252e%252e/secret.txt", "'..'")]
    [InlineData("file:/etc/passwd", "URI scheme")]
    [InlineData("1/run//artifacts/x.txt", "empty segment")]
    public async Task Downloads_uploads_and_deletes_refuse(string encodedPath, string reason)
    {
        await IsRefusedAsync(await Http.GetAsync($"{Proxy}/{encodedPath}"), reason);
        await IsRefusedAsync(await Http.PutAsync($"{Proxy}/{encodedPath}", new StringContent("overwritten")), reason);
        await IsRefusedAsync(await Http.DeleteAsync($"{Proxy}/{encodedPath}"), reason);

        Assert.Equal("secret", await store.ReadOutsideAsync(App));
        Assert.Empty(await store.FilesAsync(App));
    }
}

/// <summary>Uploads land only under the artifact root of a run or logged model that exists.</summary>
public sealed class UploadTargetTests : IAsyncLifetime
{
    private const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly CairnApp _app = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_upload_beside_the_runs_or_under_an_unknown_run_is_refused_and_writes_nothing()
    {
        var mlflow = _app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("uploads");
        var runId = await mlflow.CreateRunAsync(experimentId);
        var http = _app.CreateClient();

        // What `--path ../../x` becomes once a client normalizes the dot segments away: the experiment's own folder.
        foreach (var path in (string[])[$"{experimentId}/x.txt", $"{experimentId}/{runId}/x.txt", $"{experimentId}/{new string('f', 32)}/artifacts/x.txt", $"9/{runId}/artifacts/x.txt", "x.txt"])
        {
            using var response = await http.PutAsync($"{Proxy}/{path}", new StringContent("planted"));
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path}: {(int)response.StatusCode} {text}");
            Assert.Contains("artifact root", text, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await http.PutAsync($"{Proxy}/{experimentId}/{runId}/artifacts/ok.txt", new StringContent("ok"))).StatusCode);
        var files = Directory.GetFiles(Path.Combine(_app.DataPath, "artifacts"), "*", SearchOption.AllDirectories);
        Assert.Equal([Path.Combine(_app.DataPath, "artifacts", experimentId, runId, "artifacts", "ok.txt")], files);
    }
}

/// <summary>Path safety on the local store, where links can lead out of the folder too.</summary>
public sealed class LocalArtifactPathSafetyTests() : ArtifactPathSafetyTests(new LocalBackend())
{
    [Fact]
    public async Task A_link_that_leads_outside_the_store_is_refused_for_every_operation()
    {
        var artifacts = Path.Combine(App.DataPath, "artifacts");
        var outside = Path.Combine(App.DataPath, "secret.txt");
        Directory.CreateSymbolicLink(Path.Combine(artifacts, "escape"), App.DataPath);
        File.CreateSymbolicLink(Path.Combine(artifacts, "secret-link.txt"), outside);

        await IsRefusedAsync(await Http.GetAsync($"{Proxy}/escape/secret.txt"), "outside the artifact store");
        await IsRefusedAsync(await Http.GetAsync($"{Proxy}/secret-link.txt"), "outside the artifact store");
        await IsRefusedAsync(await Http.GetAsync($"{Proxy}?path=escape"), "outside the artifact store");
        await IsRefusedAsync(await Http.PutAsync($"{Proxy}/escape/planted.txt", new StringContent("x")), "artifact root");
        await IsRefusedAsync(await Http.DeleteAsync($"{Proxy}/escape/secret.txt"), "outside the artifact store");

        Assert.Equal("secret", await File.ReadAllTextAsync(outside));
        Assert.False(File.Exists(Path.Combine(App.DataPath, "planted.txt")));
    }
}
