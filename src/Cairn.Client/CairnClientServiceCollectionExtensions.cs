using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Client;

/// <summary>Registers <see cref="CairnClient"/> with dependency injection, on a typed <see cref="HttpClient"/>.</summary>
public static class CairnClientServiceCollectionExtensions
{
    /// <summary>Adds a <see cref="CairnClient"/> talking to <paramref name="server"/> (http://127.0.0.1:5000 when null).</summary>
    /// <returns>The HTTP client builder, to add handlers such as authentication or resilience.</returns>
    public static IHttpClientBuilder AddCairnClient(this IServiceCollection services, Uri? server = null) =>
        services.AddHttpClient<CairnClient>(http => http.BaseAddress = server ?? CairnClient.DefaultServer);
}
