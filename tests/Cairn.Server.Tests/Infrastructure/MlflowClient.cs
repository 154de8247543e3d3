using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>A thin client for the MLflow wire protocol, as the Python client speaks it: JSON bodies for POST, query strings for GET.</summary>
public sealed class MlflowClient(HttpClient http, string prefix)
{
    public HttpClient Http { get; } = http;

    public async Task<MlflowResponse> PostAsync(string path, object body)
    {
        using var response = await Http.PostAsync($"{prefix}/{path}", new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json"));
        return await MlflowResponse.ReadAsync(response);
    }

    public async Task<MlflowResponse> PostRawAsync(string path, byte[] body, string contentType = "application/json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await Http.PostAsync($"{prefix}/{path}", content);
        return await MlflowResponse.ReadAsync(response);
    }

    /// <summary>PATCH and DELETE carry a JSON body, as the Python client sends them (some, such as deleting a logged-model tag, none).</summary>
    public async Task<MlflowResponse> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"{prefix}/{path}");
        if (body is not null)
        {
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        }

        using var response = await Http.SendAsync(request);
        return await MlflowResponse.ReadAsync(response);
    }

    public async Task<MlflowResponse> GetAsync(string path, params (string Key, string Value)[] query)
    {
        var q = string.Join("&", query.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));
        using var response = await Http.GetAsync($"{prefix}/{path}{(q.Length > 0 ? "?" + q : "")}");
        return await MlflowResponse.ReadAsync(response);
    }

    /// <summary>Posts and asserts 200, returning the body.</summary>
    public async Task<JsonNode> OkAsync(string path, object body)
    {
        var response = await PostAsync(path, body);
        return response.Ok();
    }

    public async Task<string> CreateExperimentAsync(string name) =>
        (string)(await OkAsync("experiments/create", new { name }))["experiment_id"]!;

    public async Task<string> CreateRunAsync(string experimentId, string? runName = null, long? startTime = null, object[]? tags = null)
    {
        var body = await OkAsync("runs/create", new { experiment_id = experimentId, run_name = runName, start_time = startTime, tags = tags ?? [] });
        return (string)body["run"]!["info"]!["run_id"]!;
    }

    public Task<JsonNode> LogBatchAsync(string runId, object[]? metrics = null, object[]? @params = null, object[]? tags = null) =>
        OkAsync("runs/log-batch", new { run_id = runId, metrics = metrics ?? [], @params = @params ?? [], tags = tags ?? [] });

    public async Task<JsonNode> GetRunAsync(string runId) =>
        (await GetAsync("runs/get", ("run_id", runId))).Ok()["run"]!;
}

public sealed record MlflowResponse(HttpStatusCode Status, JsonNode? Body, string Text)
{
    public static async Task<MlflowResponse> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        try
        {
            body = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
        }

        return new MlflowResponse(response.StatusCode, body, text);
    }

    public JsonNode Ok()
    {
        Assert.True(Status == HttpStatusCode.OK, $"expected 200, got {(int)Status}: {Text}");
        return Body!;
    }

    public string? ErrorCode => (string?)Body?["error_code"];

    public string Message => (string?)Body?["message"] ?? "";

    /// <summary>Asserts MLflow's error shape: the status, the error code, and a message that mentions <paramref name="mentions"/>.</summary>
    public void IsError(HttpStatusCode status, string errorCode, string? mentions = null)
    {
        Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
        Assert.Equal(errorCode, ErrorCode);
        if (mentions is not null)
        {
            Assert.Contains(mentions, Message, StringComparison.Ordinal);
        }
    }
}
