using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Cairn.Ui.Tests.Infrastructure;

/// <summary>Registry data for the model pages, made through MLflow's registry routes as any client would.</summary>
public sealed class RegistryCalls(Uri server)
{
    private static readonly HttpClient Http = new();

    public async Task<JsonNode> CallAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, new Uri(server, $"api/2.0/mlflow/{path}"));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!;
    }

    public Task<JsonNode> PostAsync(string path, object body) => CallAsync(HttpMethod.Post, path, body);

    public Task<JsonNode> GetAsync(string pathAndQuery) => CallAsync(HttpMethod.Get, pathAndQuery);

    public async Task<JsonNode> EventsAsync(string name)
    {
        var text = await Http.GetStringAsync(new Uri(server, $"api/v1/registry/events?name={Uri.EscapeDataString(name)}"));
        return JsonNode.Parse(text)!;
    }

    /// <summary>A model with <paramref name="versions"/> versions registered from <paramref name="runId"/>.</summary>
    public async Task<string> ModelAsync(string prefix, string runId, int versions, string? description = null)
    {
        var name = $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 9)];
        await PostAsync("registered-models/create", new { name, description });
        for (var i = 0; i < versions; i++)
        {
            await PostAsync("model-versions/create", new { name, source = $"runs:/{runId}/model", run_id = runId });
        }

        return name;
    }
}
