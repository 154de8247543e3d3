using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Runs;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>
/// <c>GET /api/v1/metrics/series?run_id=…&amp;metric_key=…&amp;max_points=1000</c>: a metric of one run, down-sampled
/// for a chart (see <see cref="MetricSeries"/>). Errors answer MLflow's <c>{"error_code", "message"}</c>, like the
/// tracking routes a chart calls alongside it.
/// </summary>
public static class MetricSeriesApi
{
    public static RouteGroupBuilder MapMetricSeries(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/metrics")
            .AddEndpointFilter<MlflowErrors>()
            .WithTags("Metrics");
        group.MapGet("/series", GetSeriesAsync).WithName("GetMetricSeries");
        return group;
    }

    public sealed class SeriesRequest : RunIdRequest
    {
        public string? MetricKey { get; set; }
        public int? MaxPoints { get; set; }
    }

    private static async Task<JsonHttpResult<MetricSeriesResult>> GetSeriesAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<SeriesRequest>(http);
        var runUuid = request.RequireRunId();
        var key = TrackingRules.Required(request.MetricKey, "metric_key");
        var maxPoints = request.MaxPoints ?? MetricSeries.DefaultMaxPoints;
        if (maxPoints is < MetricSeries.FewestMaxPoints or > MetricSeries.MostMaxPoints)
        {
            throw MlflowException.InvalidParameter(
                $"Invalid value {maxPoints} for parameter 'max_points' supplied: it must be between {MetricSeries.FewestMaxPoints} and {MetricSeries.MostMaxPoints}.");
        }

        var series = await MetricSeries.ReadAsync(db, runUuid, key, maxPoints, http.RequestAborted) ?? throw RunReader.NotFound(runUuid);
        return TypedResults.Json(series, MlflowJson.Options);
    }
}
