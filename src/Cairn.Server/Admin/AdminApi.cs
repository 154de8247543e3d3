using Cairn.Server.Data;
using Cairn.Server.Hosting;
using Cairn.Server.Mlflow;

namespace Cairn.Server.Admin;

/// <summary>
/// <c>POST /api/v1/admin/gc</c>: removes runs deleted more than <c>older_than_seconds</c> ago, or says what it would
/// remove (<c>dry_run</c>). <c>GET /api/v1/admin/storage</c>: metric points stored and their bytes on disk.
/// </summary>
public static class AdminApi
{
    public static RouteGroupBuilder MapAdmin(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/admin").AddEndpointFilter<MlflowErrors>().WithTags("Admin");
        group.MapPost("/gc", CollectAsync).WithName("CollectGarbage");
        group.MapGet("/storage", async (CairnDb db, DatabaseConnection database, CancellationToken cancellationToken) =>
            Results.Json(await StorageReport.MeasureAsync(db, database, cancellationToken), MlflowJson.Options)).WithName("StorageReport");
        return group;
    }

    public sealed class GcRequest
    {
        public long? OlderThanSeconds { get; set; }
        public bool? DryRun { get; set; }
        public List<string>? RunIds { get; set; }
    }

    private static async Task<IResult> CollectAsync(HttpContext http, GarbageCollector collector)
    {
        var request = await MlflowRequest.ReadAsync<GcRequest>(http);
        var seconds = request.OlderThanSeconds ?? 0;
        if (seconds < 0)
        {
            throw MlflowException.InvalidParameter($"Invalid value {seconds} for parameter 'older_than_seconds' supplied: it must not be negative.");
        }

        var report = await collector.CollectAsync(TimeSpan.FromSeconds(seconds), request.DryRun ?? false, request.RunIds, http.RequestAborted);
        return Results.Json(report, MlflowJson.Options);
    }
}
