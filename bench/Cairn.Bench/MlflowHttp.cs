using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cairn.Bench;

/// <summary>
/// Thin client for the MLflow REST API (/api/2.0/mlflow/...). One instance, one HttpClient,
/// shared by all concurrent bench clients. Any non-200 answer throws <see cref="MlflowException"/>
/// carrying the server's error body.
/// </summary>
public sealed class MlflowHttp : IDisposable
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private readonly HttpClient _client;
    private readonly string _apiRoot;
    private readonly string _nativeRoot;
    private readonly ConcurrentDictionary<string, Uri> _endpoints = new(StringComparer.Ordinal);

    public MlflowHttp(Uri baseUrl, int maxConnections)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = Math.Max(16, maxConnections),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(2),
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
        };
        _client = new HttpClient(handler)
        {
            Timeout = TimeSpan.FromSeconds(120),
            DefaultRequestVersion = HttpVersion.Version11,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionOrLower,
        };
        // Keep any path prefix of the tracking URI (http://host/mlflow -> http://host/mlflow/api/...).
        _apiRoot = baseUrl.AbsoluteUri.TrimEnd('/') + "/api/2.0/mlflow/";
        _nativeRoot = baseUrl.AbsoluteUri.TrimEnd('/') + "/api/v1/";
    }

    /// <summary>Absolute URI of an RPC such as <c>runs/log-batch</c> (cached).</summary>
    public Uri Endpoint(string rpc) => _endpoints.GetOrAdd(rpc, r => new Uri(_apiRoot + r));

    /// <summary>Absolute URI of a Cairn route outside the MLflow protocol, such as <c>metrics/series</c> (under <c>/api/v1/</c>).</summary>
    public Uri NativeEndpoint(string path) => new(_nativeRoot + path);

    /// <summary>Hot path: POST a prepared JSON body and require HTTP 200 with a JSON object.</summary>
    public async Task PostAckAsync(Uri uri, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent(body) };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        EnsureOk("POST", uri, response.StatusCode, bytes);
    }

    /// <summary>POST a JSON body and return the raw 200 body (validated to be a JSON object).</summary>
    public async Task<byte[]> PostRawAsync(Uri uri, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = JsonContent(body) };
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        EnsureOk("POST", uri, response.StatusCode, bytes);
        return bytes;
    }

    /// <summary>GET with query-string parameters and return the raw 200 body.</summary>
    public Task<byte[]> GetRawAsync(string rpc, IEnumerable<(string Key, string Value)> query, CancellationToken ct)
        => GetRawAsync(Endpoint(rpc), query, ct);

    /// <summary>GET an absolute endpoint with query-string parameters and return the raw 200 body.</summary>
    public async Task<byte[]> GetRawAsync(Uri endpoint, IEnumerable<(string Key, string Value)> query, CancellationToken ct)
    {
        var uri = WithQuery(endpoint, query);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        EnsureOk("GET", uri, response.StatusCode, bytes);
        return bytes;
    }

    /// <summary>
    /// GET into a caller-owned buffer, reading the body as it streams in: for large answers, so the bench's own
    /// buffer growth and copies stay out of the time it measures. Returns the body's length.
    /// </summary>
    public async Task<int> GetIntoAsync(string rpc, IEnumerable<(string Key, string Value)> query, MemoryStream into, CancellationToken ct)
    {
        var uri = WithQuery(Endpoint(rpc), query);
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        into.SetLength(0);
        await using (var body = await response.Content.ReadAsStreamAsync(ct))
        {
            await body.CopyToAsync(into, 1 << 20, ct);
        }

        if (response.StatusCode != System.Net.HttpStatusCode.OK)
        {
            EnsureOk("GET", uri, response.StatusCode, into.ToArray());
        }

        return (int)into.Length;
    }

    /// <summary>
    /// A Cairn route under <c>/api/v1/</c> with any method (create answers 201, test 202): any 2xx is accepted.
    /// Returns the raw body.
    /// </summary>
    public async Task<byte[]> SendNativeAsync(HttpMethod method, string path, ReadOnlyMemory<byte>? body, CancellationToken ct)
    {
        var uri = NativeEndpoint(path);
        using var request = new HttpRequestMessage(method, uri);
        if (body is { } json)
        {
            request.Content = JsonContent(json);
        }

        using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        var bytes = await response.Content.ReadAsByteArrayAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new MlflowException(method.Method, uri.PathAndQuery, response.StatusCode, Encoding.UTF8.GetString(bytes));
        }

        return bytes;
    }

    /// <summary>Convenience POST for setup calls: builds the body with a callback, parses the answer.</summary>
    public async Task<JsonDocument> PostAsync(string rpc, Action<Utf8JsonWriter> writeBody, CancellationToken ct)
    {
        var buffer = new JsonRequestBuffer();
        var bytes = await PostRawAsync(Endpoint(rpc), buffer.Build(writeBody), ct);
        return JsonDocument.Parse(bytes);
    }

    /// <summary>Convenience GET for setup calls.</summary>
    public async Task<JsonDocument> GetAsync(string rpc, IEnumerable<(string Key, string Value)> query, CancellationToken ct)
        => JsonDocument.Parse(await GetRawAsync(rpc, query, ct));

    /// <summary>Times one request (send to last body byte) and returns the body with the elapsed ticks.</summary>
    public static async Task<(byte[] Body, long Ticks)> TimeAsync(Func<Task<byte[]>> call)
    {
        var start = Stopwatch.GetTimestamp();
        var body = await call();
        return (body, Stopwatch.GetTimestamp() - start);
    }

    public void Dispose() => _client.Dispose();

    private static ReadOnlyMemoryContent JsonContent(ReadOnlyMemory<byte> body)
    {
        var content = new ReadOnlyMemoryContent(body);
        content.Headers.ContentType = JsonContentType;
        return content;
    }

    private static Uri WithQuery(Uri endpoint, IEnumerable<(string Key, string Value)> query)
    {
        var sb = new StringBuilder(endpoint.AbsoluteUri);
        var first = true;
        foreach (var (key, value) in query)
        {
            sb.Append(first ? '?' : '&').Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            first = false;
        }
        return new Uri(sb.ToString());
    }

    private static void EnsureOk(string method, Uri uri, HttpStatusCode status, byte[] body)
    {
        if (status != HttpStatusCode.OK)
        {
            throw new MlflowException(method, uri.PathAndQuery, status, Encoding.UTF8.GetString(body));
        }
        // The MLflow client rejects a 200 whose body is not a JSON object; so do we.
        var span = body.AsSpan().TrimStart(" \t\r\n"u8);
        if (span.IsEmpty || span[0] != (byte)'{')
        {
            throw new MlflowException($"{method} {uri.PathAndQuery} -> HTTP 200 but the body is not a JSON object: "
                + Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 500))));
        }
    }
}
