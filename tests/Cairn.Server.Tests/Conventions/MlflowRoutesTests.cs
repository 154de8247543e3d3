using Cairn.Server.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Conventions;

/// <summary>Every MLflow tracking route Cairn claims (research/mlflow-api.md §5.1–5.2, §6, §8.1) is registered, with MLflow's method, on both prefixes.</summary>
public sealed class MlflowRoutesTests
{
    public static TheoryData<string, string> ClaimedRoutes => new()
    {
        { "POST", "experiments/create" },
        { "GET", "experiments/get" },
        { "GET", "experiments/get-by-name" },
        { "POST", "experiments/search" },
        { "GET", "experiments/search" },
        { "POST", "experiments/update" },
        { "POST", "experiments/delete" },
        { "POST", "experiments/restore" },
        { "POST", "experiments/set-experiment-tag" },
        { "POST", "experiments/delete-experiment-tag" },
        { "POST", "runs/create" },
        { "POST", "runs/update" },
        { "POST", "runs/delete" },
        { "POST", "runs/restore" },
        { "GET", "runs/get" },
        { "POST", "runs/search" },
        { "POST", "runs/log-metric" },
        { "POST", "runs/log-parameter" },
        { "POST", "runs/set-tag" },
        { "POST", "runs/delete-tag" },
        { "POST", "runs/log-batch" },
        { "POST", "runs/log-inputs" },
        { "GET", "metrics/get-history" },
        { "GET", "metrics/get-history-bulk-interval" },
        { "GET", "artifacts/list" },
        { "POST", "registered-models/create" },
        { "GET", "registered-models/get" },
        { "POST", "registered-models/rename" },
        { "PATCH", "registered-models/update" },
        { "DELETE", "registered-models/delete" },
        { "GET", "registered-models/search" },
        { "POST", "registered-models/search" },
        { "POST", "registered-models/get-latest-versions" },
        { "GET", "registered-models/get-latest-versions" },
        { "POST", "registered-models/set-tag" },
        { "DELETE", "registered-models/delete-tag" },
        { "POST", "registered-models/alias" },
        { "DELETE", "registered-models/alias" },
        { "GET", "registered-models/alias" },
        { "POST", "model-versions/create" },
        { "GET", "model-versions/get" },
        { "PATCH", "model-versions/update" },
        { "DELETE", "model-versions/delete" },
        { "GET", "model-versions/search" },
        { "POST", "model-versions/search" },
        { "GET", "model-versions/get-download-uri" },
        { "POST", "model-versions/transition-stage" },
        { "POST", "model-versions/set-tag" },
        { "DELETE", "model-versions/delete-tag" },
        { "POST", "runs/log-model" },
        { "POST", "runs/outputs" },
        { "POST", "logged-models" },
        { "POST", "logged-models/search" },
        { "GET", "logged-models/{modelId}" },
        { "PATCH", "logged-models/{modelId}" },
        { "DELETE", "logged-models/{modelId}" },
        { "PATCH", "logged-models/{modelId}/tags" },
        { "DELETE", "logged-models/{modelId}/tags/{**tagKey}" },
        { "POST", "logged-models/{modelId}/params" },
        { "GET", "logged-models/{modelId}/artifacts/directories" },
        { "GET", "logged-models/{modelId}/artifacts/files" },
    };

    [Theory]
    [MemberData(nameof(ClaimedRoutes))]
    public async Task The_route_is_registered_on_the_api_and_the_ajax_api(string method, string path)
    {
        await using var app = new CairnApp();
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().ToList();

        foreach (var prefix in (string[])["/api/2.0/mlflow/", "/ajax-api/2.0/mlflow/"])
        {
            var route = prefix + path;
            Assert.Contains(endpoints, e =>
                string.Equals(e.RoutePattern.RawText?.TrimEnd('/'), route, StringComparison.Ordinal)
                && (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.Contains(method) ?? false));
        }
    }

    [Fact]
    public async Task Every_registered_mlflow_route_is_claimed()
    {
        await using var app = new CairnApp();
        var claimed = ClaimedRoutes.Select(row => "/api/2.0/mlflow/" + (string)row[1]).ToHashSet(StringComparer.Ordinal);

        var registered = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern.RawText ?? "")
            .Where(p => p.StartsWith("/api/2.0/mlflow/", StringComparison.Ordinal))
            .ToList();

        Assert.All(registered, route => Assert.Contains(route, claimed));
    }
}
