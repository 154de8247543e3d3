using Microsoft.Extensions.Options;

namespace Cairn.Server.Hosting;

public static class PathBase
{
    /// <summary>Mounts the server under <c>--path-base</c> (for example <c>/mlflow</c>), as MLflow clients with a path in their tracking URI expect.</summary>
    public static WebApplication UseCairnPathBase(this WebApplication app)
    {
        var pathBase = app.Services.GetRequiredService<IOptions<CairnOptions>>().Value.PathBase;
        if (!string.IsNullOrEmpty(pathBase))
        {
            app.UsePathBase(pathBase);
        }

        return app;
    }
}
