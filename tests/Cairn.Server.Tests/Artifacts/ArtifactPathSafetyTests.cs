using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Artifacts;

/// <summary>Every form of path that could reach outside the artifact store is refused, and nothing is read or written.</summary>
public sealed class ArtifactPathSafetyTests : IAsyncLifetime
{
    private const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly CairnApp _app = new();
    private HttpClient _http = null!;
    private string _outside = "";

    public async Task InitializeAsync()
    {
        _http = _app.CreateClient();
        // Start the server, then plant a secret beside the artifact root.
        await _http.GetAsync("/health");
        _outside = Path.Combine(_app.DataPath, "secret.txt");
        await File.WriteAllTextAsync(_outside, "secret");
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task IsRefusedAsync(HttpResponseMessage response, string reason)
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
    public async Task Listing_refuses(string path, string reason) =>
        await IsRefusedAsync(await _http.GetAsync($"{Proxy}?path={Uri.EscapeDataString(path)}"), reason);

    [Theory]
    [InlineData("..%2Fsecret.txt", "'..'")]
    [InlineData("%2e%2e%2Fsecret.txt", "'..'")]
    [InlineData("a/..%5C..%5Csecret.txt", "backslash")]
    [InlineData("a/%252e%252e/secret.txt", "'..'")]
    public async Task Downloads_uploads_and_deletes_refuse(string encodedPath, string reason)
    {
        await IsRefusedAsync(await _http.GetAsync($"{Proxy}/{encodedPath}"), reason);
        await IsRefusedAsync(await _http.PutAsync($"{Proxy}/{encodedPath}", new StringContent("overwritten")), reason);
        await IsRefusedAsync(await _http.DeleteAsync($"{Proxy}/{encodedPath}"), reason);

        Assert.Equal("secret", await File.ReadAllTextAsync(_outside));
        Assert.Empty(Directory.GetFiles(Path.Combine(_app.DataPath, "artifacts"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_link_that_leads_outside_the_store_is_refused_for_every_operation()
    {
        var artifacts = Path.Combine(_app.DataPath, "artifacts");
        Directory.CreateSymbolicLink(Path.Combine(artifacts, "escape"), _app.DataPath);
        File.CreateSymbolicLink(Path.Combine(artifacts, "secret-link.txt"), _outside);

        await IsRefusedAsync(await _http.GetAsync($"{Proxy}/escape/secret.txt"), "outside the artifact store");
        await IsRefusedAsync(await _http.GetAsync($"{Proxy}/secret-link.txt"), "outside the artifact store");
        await IsRefusedAsync(await _http.GetAsync($"{Proxy}?path=escape"), "outside the artifact store");
        await IsRefusedAsync(await _http.PutAsync($"{Proxy}/escape/planted.txt", new StringContent("x")), "outside the artifact store");
        await IsRefusedAsync(await _http.DeleteAsync($"{Proxy}/escape/secret.txt"), "outside the artifact store");

        Assert.Equal("secret", await File.ReadAllTextAsync(_outside));
        Assert.False(File.Exists(Path.Combine(_app.DataPath, "planted.txt")));
    }
}
