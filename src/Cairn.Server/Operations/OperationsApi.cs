using Cairn.Server.Artifacts;
using Cairn.Server.Data;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Prometheus;

namespace Cairn.Server.Operations;

/// <summary><c>/metrics</c> (Prometheus), <c>/health/live</c> (the process answers), <c>/health/ready</c> (the database and the artifact store answer).</summary>
public static class OperationsApi
{
    public static IServiceCollection AddOperations(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddDbContextCheck<CairnDb>("database", tags: ["ready"])
            .AddCheck<ArtifactStoreHealthCheck>("artifacts", tags: ["ready"]);
        return services;
    }

    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") });
        app.MapMetrics("/metrics");
        return app;
    }
}
