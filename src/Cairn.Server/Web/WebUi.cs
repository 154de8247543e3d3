using Cairn.Server.Web.Shared;

namespace Cairn.Server.Web;

/// <summary>
/// The web UI: a Blazor app with interactive server rendering, in the server's own process. Its pages call the
/// tracking feature code directly (search, run reader, metric series), not the HTTP API.
/// </summary>
public static class WebUi
{
    public static IServiceCollection AddCairnWebUi(this IServiceCollection services)
    {
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddScoped<TrackingQueries>();
        return services;
    }

    public static WebApplication MapCairnWebUi(this WebApplication app)
    {
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }
}
