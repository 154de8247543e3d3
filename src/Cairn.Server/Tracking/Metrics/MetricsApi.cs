using System.Buffers;
using System.Text.Json;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Runs;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Metrics;

/// <summary>metrics/get-history and metrics/get-history-bulk-interval.</summary>
public static class MetricsApi
{
    private const int MaxBulkRuns = 100;
    private const int MaxBulkPoints = 2500;


    public static RouteGroupBuilder MapMetrics(this RouteGroupBuilder mlflow)
    {
        var group = mlflow.MapGroup("/metrics");
        group.MapGet("/get-history", GetHistoryAsync);
        group.MapGet("/get-history-bulk-interval", GetHistoryBulkIntervalAsync);
        return group;
    }

    public sealed class GetHistoryRequest : RunIdRequest
    {
        public string? MetricKey { get; set; }
        public int? MaxResults { get; set; }
        public string? PageToken { get; set; }
    }

    public sealed class BulkIntervalRequest
    {
        public List<string>? RunIds { get; set; }
        public string? MetricKey { get; set; }
        public long? StartStep { get; set; }
        public long? EndStep { get; set; }
        public int? MaxResults { get; set; }
    }

    private static async Task GetHistoryAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<GetHistoryRequest>(http);
        var runUuid = request.RequireRunId();
        var key = TrackingRules.Required(request.MetricKey, "metric_key");
        if (request.MaxResults is < 1)
        {
            throw MlflowException.InvalidParameter($"Invalid value {request.MaxResults} for parameter 'max_results' supplied. It must be at least 1.");
        }

        var ct = http.RequestAborted;
        var offset = PageToken.Decode(request.PageToken);
        // An unknown run has an empty history, as MLflow's server answers it.
        var runId = await db.Runs.AsNoTracking().Where(r => r.Uuid == runUuid).Select(r => (int?)r.Id).FirstOrDefaultAsync(ct);
        var keyId = runId is null ? null : await MetricHistory.KeyIdAsync(db, key, ct);
        var limit = request.MaxResults ?? int.MaxValue;

        var output = http.Response.BodyWriter;
        http.Response.ContentType = "application/json";
        output.Write("{"u8);
        var points = new MetricPointWriter(output, key);
        if (keyId is not null)
        {
            await MetricHistory.StreamAsync(db, runId!.Value, keyId.Value, long.MinValue, long.MaxValue, offset, limit,
                chunk => points.WriteAsync(chunk, null, ct), ct);
        }

        points.EndArray();
        var next = request.MaxResults is null ? null : PageToken.Next(offset, limit, points.Count);
        if (next is not null)
        {
            output.Write(points.Count > 0 ? ","u8 : ""u8);
            output.Write("\"next_page_token\":\""u8);
            output.Write(JsonEncodedText.Encode(next).EncodedUtf8Bytes);
            output.Write("\""u8);
        }

        output.Write("}"u8);
        await output.FlushAsync(ct);
    }

    private static async Task GetHistoryBulkIntervalAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<BulkIntervalRequest>(http);
        var runUuids = request.RunIds is { Count: > 0 } ids ? ids.Distinct().ToList() : throw MlflowException.MissingParameter("run_ids");
        var key = TrackingRules.Required(request.MetricKey, "metric_key");
        if (runUuids.Count > MaxBulkRuns)
        {
            throw MlflowException.InvalidParameter($"GetMetricHistoryBulkInterval request must specify at most {MaxBulkRuns} run_ids. Received {runUuids.Count} run_ids.");
        }

        var maxResults = request.MaxResults ?? MaxBulkPoints;
        if (maxResults is < 1 or > MaxBulkPoints)
        {
            throw MlflowException.InvalidParameter($"max_results must be between 1 and {MaxBulkPoints}. Received {maxResults}.");
        }

        if ((request.StartStep is null) != (request.EndStep is null))
        {
            throw MlflowException.InvalidParameter("If either start step or end step are specified, both must be specified.");
        }

        if (request.StartStep > request.EndStep)
        {
            throw MlflowException.InvalidParameter($"end_step must be greater than start_step. Found start_step={request.StartStep} and end_step={request.EndStep}.");
        }

        var ct = http.RequestAborted;
        var runs = await db.Runs.AsNoTracking().Where(r => runUuids.Contains(r.Uuid)).Select(r => new { r.Id, r.Uuid }).ToListAsync(ct);
        var keyId = await MetricHistory.KeyIdAsync(db, key, ct);
        var series = new List<(string RunUuid, MetricHistory.Point[] Points)>();
        foreach (var run in runs.OrderBy(r => r.Uuid, StringComparer.Ordinal))
        {
            var points = keyId is null ? [] : await MetricHistory.ReadAsync(
                db, run.Id, keyId.Value, request.StartStep ?? long.MinValue, request.EndStep ?? long.MaxValue, 0, int.MaxValue, ct);
            series.Add((run.Uuid, StepSampler.Sample(points, maxResults)));
        }

        var output = http.Response.BodyWriter;
        http.Response.ContentType = "application/json";
        output.Write("{"u8);
        var writer = new MetricPointWriter(output, key);
        foreach (var (runUuid, points) in series)
        {
            await writer.WriteAsync(points, runUuid, ct);
        }

        writer.EndArray();
        output.Write("}"u8);
        await output.FlushAsync(ct);
    }
}
