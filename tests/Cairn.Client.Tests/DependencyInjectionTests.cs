using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Client.Tests;

public sealed class DependencyInjectionTests
{
    [Fact]
    public async Task AddCairnClient_resolves_a_client_talking_to_the_configured_server()
    {
        await using var server = new CairnServer();
        var services = new ServiceCollection();
        services.AddCairnClient(server.Address);
        await using var provider = services.BuildServiceProvider();

        var client = provider.GetRequiredService<CairnClient>();
        var id = await client.Experiments.CreateAsync("from-di");

        Assert.Equal("from-di", (await client.Experiments.GetAsync(id)).Name);
    }
}
