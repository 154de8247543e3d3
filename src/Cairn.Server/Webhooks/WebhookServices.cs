using Microsoft.Extensions.Options;

namespace Cairn.Server.Webhooks;

/// <summary>Registers the webhook settings, the <c>webhooks</c> HTTP client and the background sender.</summary>
public static class WebhookServices
{
    public static IServiceCollection AddWebhooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // No redirects: a receiver answers 2xx or the attempt failed. The per-attempt timeout is also the client's.
        services.AddHttpClient(WebhookSender.HttpClientName, (provider, client) =>
                client.Timeout = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.Timeout)
            .ConfigurePrimaryHttpMessageHandler(provider => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ConnectCallback = provider.GetRequiredService<IOptions<WebhookOptions>>().Value.AllowPrivateNetworks
                    ? null
                    : PrivateNetworkGuard.ConnectPublicOnlyAsync,
            });
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService(provider => provider.GetRequiredService<WebhookDispatcher>());
        return services;
    }
}
