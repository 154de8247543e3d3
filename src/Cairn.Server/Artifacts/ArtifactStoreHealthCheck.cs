using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cairn.Server.Artifacts;

/// <summary>
/// Part of <c>/health/ready</c>: a replica whose bucket is gone or out of reach cannot serve artifacts, so a load
/// balancer should stop sending it work. The local store's folder is checked the same way.
/// </summary>
public sealed class ArtifactStoreHealthCheck(IArtifactStore store) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await store.ProbeAsync(cancellationToken) is { } problem
            ? HealthCheckResult.Unhealthy(problem)
            : HealthCheckResult.Healthy();
}
