using System.Diagnostics;
using Cairn.Server.Registry;
using Cairn.Server.Tests.Registry;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>A receiver that never answers holds one sending slot, and neither registry writes nor other webhooks wait for it.</summary>
public sealed class HangingReceiverTests
{
    private const int Moves = 20;

    [Fact]
    public async Task A_hanging_receiver_slows_neither_registry_writes_nor_the_api_nor_other_webhooks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Hang("hanging");
        await using var app = new WebhookApp(new() { ["Cairn:Webhooks:TimeoutSeconds"] = "30" });
        var (hanging, _) = await app.CreateAsync("hanging", receiver.Url("hanging"), RegistryActions.All);
        await app.CreateAsync("healthy", receiver.Url("healthy"), [RegistryActions.AliasSet]);
        var mlflow = app.App.Mlflow();
        await mlflow.CreateModelAsync("churn");
        await mlflow.CreateVersionAsync("churn");
        await mlflow.CreateVersionAsync("churn");
        await receiver.WaitForAsync("hanging", 1);

        // Alias moves while the hanging receiver holds its delivery open for up to 30 s.
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < Moves; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await mlflow.SetAliasAsync("churn", "champion", (i % 2) + 1);
            (await app.Api.GetAsync("webhooks")).Ok();
            var elapsed = Stopwatch.GetElapsedTime(started);
            slowest = elapsed > slowest ? elapsed : slowest;
        }

        var healthy = await receiver.WaitForAsync("healthy", Moves, TimeSpan.FromSeconds(15));

        Assert.True(slowest < TimeSpan.FromSeconds(3), $"slowest alias move + API call {slowest.TotalMilliseconds} ms");
        Assert.Equal(Moves, healthy.Select(r => r.EventId).Distinct().Count());
        Assert.Single(receiver.Received("hanging"));
        var log = await app.DeliveriesAsync(hanging);
        Assert.Equal(3 + Moves, log.Count);
        Assert.All(log, d => Assert.Equal("pending", (string?)d!["status"]));
    }
}
