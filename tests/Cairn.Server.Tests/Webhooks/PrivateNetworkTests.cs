using System.Net;
using Cairn.Server.Mlflow;
using Cairn.Server.Registry;
using Cairn.Server.Webhooks;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>By default a webhook cannot make the server POST to loopback, private or link-local addresses.</summary>
public sealed class PrivateNetworkTests
{
    private static readonly Dictionary<string, string?> Guarded = new() { [PrivateNetworkGuard.Setting] = "false" };

    [Theory]
    [InlineData("http://127.0.0.1:8080/hook")]
    [InlineData("http://10.1.2.3/hook")]
    [InlineData("http://172.20.0.1/hook")]
    [InlineData("http://192.168.1.10/hook")]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://[::1]/hook")]
    [InlineData("http://[fd00::1]/hook")]
    [InlineData("http://[::ffff:10.0.0.1]/hook")]
    [InlineData("http://0.0.0.0/hook")]
    public async Task A_private_address_as_host_is_refused_naming_the_url_and_the_setting(string url)
    {
        await using var app = new WebhookApp(Guarded);

        var response = await app.Api.PostAsync("webhooks", new { name = "x", url, events = new[] { RegistryActions.ModelCreated } });

        response.IsError(HttpStatusCode.BadRequest, ErrorCodes.InvalidParameterValue, "'url'");
        Assert.Contains(PrivateNetworkGuard.Setting, response.Text, StringComparison.Ordinal);
        Assert.Empty((await app.Api.GetAsync("webhooks")).Ok()["webhooks"]!.AsArray());
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_when_delivering_and_the_receiver_gets_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookApp(new(Guarded) { ["Cairn:Webhooks:MaxAttempts"] = "1" });
        var url = receiver.Url("ci").Replace("127.0.0.1", "localhost", StringComparison.Ordinal);
        var (id, _) = await app.CreateAsync("ci", url, [RegistryActions.ModelCreated]);

        await app.InsertEventAsync(RegistryActions.ModelCreated);

        var delivery = (await app.WaitForDeliveriesAsync(id, d => d.Count == 1 && (string?)d[0]!["status"] == "failed")).Single()!;
        Assert.Contains(PrivateNetworkGuard.Setting, (string?)delivery["attempts"]![0]!["error"], StringComparison.Ordinal);
        Assert.Empty(receiver.Received("ci"));
    }

    [Theory]
    [InlineData("8.8.8.8", false)]
    [InlineData("93.184.216.34", false)]
    [InlineData("172.32.0.1", false)]
    [InlineData("100.128.0.1", false)]
    [InlineData("2606:4700::1111", false)]
    [InlineData("172.31.255.255", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("::", true)]
    public void Addresses_are_classed_as_public_or_private(string address, bool isPrivate) =>
        Assert.Equal(isPrivate, PrivateNetworkGuard.IsPrivate(IPAddress.Parse(address)));
}
