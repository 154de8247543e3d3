using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>
/// A real HTTP receiver (Kestrel on port 0) with one endpoint per name: <c>{Url}/{name}</c>. It records every
/// request as it arrives, then answers as told: 200 by default, a status per request number, or never.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private readonly ConcurrentDictionary<string, Func<int, CancellationToken, Task<int>>> _answers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    private WebhookReceiver(WebApplication app) => _app = app;

    public string BaseUrl { get; private set; } = "";

    public string Url(string name) => $"{BaseUrl}/{name}";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var receiver = new WebhookReceiver(builder.Build());
        receiver._app.MapPost("/{name}", receiver.HandleAsync);
        await receiver._app.StartAsync();
        receiver.BaseUrl = receiver._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return receiver;
    }

    /// <summary>Answers the n-th request (from 1) to <paramref name="name"/> with the status <paramref name="statusOf"/> gives.</summary>
    public void Answer(string name, Func<int, int> statusOf) => _answers[name] = (n, _) => Task.FromResult(statusOf(n));

    /// <summary>Never answers <paramref name="name"/>: each request waits until the caller gives up or the receiver stops.</summary>
    public void Hang(string name) => _answers[name] = async (_, cancellationToken) =>
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 200;
    };

    /// <summary>Never answers the first request to <paramref name="name"/> (the sender's attempt hangs); answers every later one 200.</summary>
    public void HangFirst(string name) => _answers[name] = async (n, cancellationToken) =>
    {
        if (n == 1)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        return 200;
    };

    public IReadOnlyList<ReceivedRequest> Received(string name) => [.. _received.Where(r => r.Name == name)];

    /// <summary>Waits until <paramref name="name"/> has received at least <paramref name="count"/> requests.</summary>
    public async Task<IReadOnlyList<ReceivedRequest>> WaitForAsync(string name, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (Received(name).Count < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"'{name}' received {Received(name).Count} of {count} requests: {string.Join(" | ", Received(name).Select(r => r.Body))}");
            }

            await Task.Delay(20);
        }

        return Received(name);
    }

    private async Task HandleAsync(HttpContext context, string name)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var number = _counts.AddOrUpdate(name, 1, (_, n) => n + 1);
        _received.Enqueue(new ReceivedRequest(name, headers, body, DateTimeOffset.UtcNow));

        var answer = _answers.GetValueOrDefault(name) ?? ((_, _) => Task.FromResult(StatusCodes.Status200OK));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _app.Lifetime.ApplicationStopping);
        try
        {
            context.Response.StatusCode = await answer(number, stop.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>One request as the receiver saw it.</summary>
public sealed record ReceivedRequest(string Name, IReadOnlyDictionary<string, string> Headers, string Body, DateTimeOffset Time)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    /// <summary><c>entity.action</c>, the registry action the payload carries.</summary>
    public string Event => $"{(string)Json["entity"]!}.{(string)Json["action"]!}";

    public long? EventId => (long?)Json["data"]!["event_id"];

    public string DeliveryId => Headers["X-MLflow-Delivery-Id"];
}
