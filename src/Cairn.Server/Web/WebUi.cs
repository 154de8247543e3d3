using Cairn.Server.Web.Shared;
using Microsoft.AspNetCore.Http.HttpResults;

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
        // A browser that opens an address no route answers gets the app (status 404), whose router then shows its
        // own "Not found" page. Only page loads with no endpoint at all: API clients keep their empty 404s, and a
        // wrong method on a known route keeps its 405.
        app.Use(async (context, next) =>
        {
            var unrouted = context.GetEndpoint() is null && IsPageLoad(context);
            await next(context);
            if (unrouted && context.Response.StatusCode == StatusCodes.Status404NotFound && !context.Response.HasStarted)
            {
                await new RazorComponentResult<App> { StatusCode = StatusCodes.Status404NotFound }.ExecuteAsync(context);
            }
        });
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    private static bool IsPageLoad(HttpContext context) =>
        HttpMethods.IsGet(context.Request.Method)
        && context.Request.Headers.Accept.Any(accept => accept?.Contains("text/html", StringComparison.OrdinalIgnoreCase) == true)
        && !context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase);
}
