using System.Collections.Concurrent;
using System.Text;
using Cairn.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Hosting;

/// <summary>With <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> set, request and database spans reach an OTLP receiver.</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Requests_and_database_calls_are_exported_over_otlp_when_an_endpoint_is_set()
    {
        var bodies = new ConcurrentQueue<(string Path, byte[] Body)>();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var receiver = builder.Build();
        receiver.MapPost("/v1/traces", async (HttpRequest request) =>
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body);
            bodies.Enqueue((request.Path, body.ToArray()));
            return Results.Ok();
        });
        await receiver.StartAsync();
        var url = receiver.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        await using var app = new CairnApp(new()
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = url,
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
        });
        await app.Mlflow().CreateExperimentAsync("traced");

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string Seen() => string.Join('\n', bodies.Select(b => Encoding.UTF8.GetString(b.Body)));
        while (DateTime.UtcNow < deadline && !(Seen().Contains("experiments/create", StringComparison.Ordinal) && Seen().Contains("INSERT", StringComparison.Ordinal)))
        {
            await Task.Delay(200);
        }

        Assert.Contains("experiments/create", Seen(), StringComparison.Ordinal);
        Assert.Contains("INSERT", Seen(), StringComparison.Ordinal);
    }
}
