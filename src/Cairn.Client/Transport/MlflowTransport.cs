using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Cairn.Client.Transport;

/// <summary>Speaks the MLflow REST protocol: JSON bodies for POST, query strings for GET, <c>{error_code, message}</c> errors.</summary>
internal sealed class MlflowTransport(HttpClient http)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private const string Prefix = "api/2.0/mlflow/";
    private const string NativePrefix = "api/v1/";

    public Task<T> PostAsync<T>(string path, object body, CancellationToken cancellationToken) =>
        SendJsonAsync<T>(HttpMethod.Post, path, body, cancellationToken);

    public Task PostAsync(string path, object body, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, path, body, cancellationToken);

    /// <summary>Sends a JSON body with <paramref name="method"/> (the registry also uses PATCH and DELETE) and reads the answer.</summary>
    public async Task<T> SendJsonAsync<T>(HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = JsonRequest(method, path, body);
        using var response = await SendAsync(() => http.SendAsync(request, cancellationToken));
        return await ReadAsync<T>(response, cancellationToken);
    }

    /// <summary>Sends a JSON body with <paramref name="method"/>, expecting an empty answer.</summary>
    public async Task SendJsonAsync(HttpMethod method, string path, object body, CancellationToken cancellationToken)
    {
        using var request = JsonRequest(method, path, body);
        using var response = await SendAsync(() => http.SendAsync(request, cancellationToken));
        await EnsureSuccessAsync(response, cancellationToken);
    }

    /// <summary>A POST on Cairn's own API (<c>/api/v1/...</c>).</summary>
    public async Task<T> PostNativeAsync<T>(string path, object body, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, NativePrefix + path) { Content = JsonContent.Create(body, body.GetType(), options: Json) };
        using var response = await SendAsync(() => http.SendAsync(request, cancellationToken));
        return await ReadAsync<T>(response, cancellationToken);
    }

    public Task<T> GetAsync<T>(string path, IEnumerable<(string Key, string? Value)> query, CancellationToken cancellationToken) =>
        QueryAsync<T>(Prefix + path, query, cancellationToken);

    /// <summary>A GET on Cairn's own API (<c>/api/v1/...</c>), which answers errors in the same MLflow shape.</summary>
    public Task<T> GetNativeAsync<T>(string path, IEnumerable<(string Key, string? Value)> query, CancellationToken cancellationToken) =>
        QueryAsync<T>(NativePrefix + path, query, cancellationToken);

    private async Task<T> QueryAsync<T>(string path, IEnumerable<(string Key, string? Value)> query, CancellationToken cancellationToken)
    {
        var pairs = query.Where(p => p.Value is not null).Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value!)}");
        var uri = path + "?" + string.Join('&', pairs);
        using var response = await SendAsync(() => http.GetAsync(uri, cancellationToken));
        return await ReadAsync<T>(response, cancellationToken);
    }

    private static HttpRequestMessage JsonRequest(HttpMethod method, string path, object body) =>
        new(method, Prefix + path) { Content = JsonContent.Create(body, body.GetType(), options: Json) };

    /// <summary>Sends a request outside the JSON API (artifact bytes); the caller owns the successful response.</summary>
    public async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var response = await SendAsync(() => http.SendAsync(request, completion, cancellationToken));
        try
        {
            await EnsureSuccessAsync(response, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(Func<Task<HttpResponseMessage>> send)
    {
        try
        {
            return await send();
        }
        catch (HttpRequestException e)
        {
            throw new CairnApiException(0, null, $"The server could not be reached: {e.Message}", e);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken)
            ?? throw new CairnApiException(response.StatusCode, null, "The server answered with an empty body.");
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode == HttpStatusCode.OK)
        {
            return;
        }

        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        string? code = null;
        var message = text;
        try
        {
            if (JsonNode.Parse(text) is JsonObject error)
            {
                code = (string?)error["error_code"];
                message = (string?)error["message"] ?? text;
            }
        }
        catch (JsonException)
        {
        }

        throw new CairnApiException(response.StatusCode, code, string.IsNullOrEmpty(message) ? $"HTTP {(int)response.StatusCode}" : message);
    }
}
