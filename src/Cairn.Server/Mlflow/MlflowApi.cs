using Cairn.Server.Artifacts;
using Cairn.Server.Hosting;
using Cairn.Server.Models;
using Cairn.Server.Models.Logged;
using Cairn.Server.Registry;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Metrics;
using Cairn.Server.Tracking.Runs;
using Microsoft.AspNetCore.Mvc;

namespace Cairn.Server.Mlflow;

/// <summary>
/// The MLflow-compatible surface: every tracking route under <c>/api/2.0/mlflow</c> and its <c>/ajax-api</c>
/// mirror, <c>/health</c> and <c>/version</c>, and a catch-all that answers ENDPOINT_NOT_FOUND so newer
/// clients fall back from features Cairn does not offer.
/// </summary>
public static class MlflowApi
{
    /// <summary>The MLflow version Cairn reports. Below 3.4, so 3.x clients do not send OTLP traces, which Cairn does not store.</summary>
    public const string CompatibleVersion = "2.22.0";

    public static WebApplication MapMlflow(this WebApplication app)
    {
        var bodyLimit = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<CairnOptions>>().Value.MaxRequestBodyBytes;
        foreach (var prefix in (string[])["/api/2.0/mlflow", "/ajax-api/2.0/mlflow"])
        {
            var group = app.MapGroup(prefix)
                .AddEndpointFilter<MlflowErrors>()
                .WithMetadata(new RequestSizeLimitAttribute(bodyLimit))
                .WithTags("MLflow")
                .ExcludeFromDescription();
            group.MapExperiments();
            group.MapRuns();
            group.MapMetrics();
            group.MapRunArtifacts();
            group.MapRegisteredModels();
            group.MapModelVersions();
            group.MapRunModels();
            group.MapLoggedModels();
        }

        app.MapGet("/health", () => Results.Text("OK")).ExcludeFromDescription();
        app.MapGet("/version", () => Results.Text(CompatibleVersion)).ExcludeFromDescription();
        foreach (var pattern in (string[])["/api/{**rest}", "/ajax-api/{**rest}"])
        {
            app.Map(pattern, (HttpContext http) => MlflowErrors.Error(
                    ErrorCodes.EndpointNotFound, $"No endpoint {http.Request.Method} {http.Request.Path} on this server."))
                .ExcludeFromDescription();
        }

        return app;
    }
}
