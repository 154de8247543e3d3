using Cairn.Client;

namespace Cairn.Tests.Shared;

/// <summary>Registry state the SDK and CLI tests start from.</summary>
public static class RegistrySeed
{
    /// <summary>Creates model <paramref name="name"/> with versions 1..<paramref name="versions"/> (sources <c>s3://bucket/&lt;name&gt;/&lt;n&gt;</c>); returns a client.</summary>
    public static async Task<CairnClient> ModelWithVersionsAsync(this CairnServer server, string name, int versions)
    {
        var client = server.Client();
        await client.Models.CreateAsync(name);
        for (var i = 1; i <= versions; i++)
        {
            await client.Models.CreateVersionAsync(name, $"s3://bucket/{name}/{i}");
        }

        return client;
    }
}
