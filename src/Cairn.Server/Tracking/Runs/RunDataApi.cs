using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// Endpoints that append data to a run. Metrics, params and tags go through <see cref="RunDataWriter"/>
/// (validated first, then written atomically and durably before the answer); inputs and tag deletes through EF.
/// </summary>
public static class RunDataApi
{
    public static RouteGroupBuilder MapRunData(this RouteGroupBuilder runs)
    {
        runs.MapPost("/log-metric", LogMetricAsync);
        runs.MapPost("/log-parameter", LogParameterAsync);
        runs.MapPost("/set-tag", SetTagAsync);
        runs.MapPost("/delete-tag", DeleteTagAsync);
        runs.MapPost("/log-batch", LogBatchAsync);
        runs.MapPost("/log-inputs", LogInputsAsync);
        return runs;
    }

    private static async Task<IResult> LogMetricAsync(HttpContext http, CairnDb db, RunIds runIds, RunDataWriter writer)
    {
        var request = await MlflowRequest.ReadAsync<LogMetricRequest>(http);
        var runId = request.RequireRunId();
        var metric = new MetricInput
        {
            Key = request.Key,
            Value = request.Value,
            Timestamp = request.Timestamp,
            Step = request.Step,
            ModelId = request.ModelId,
            DatasetName = request.DatasetName,
            DatasetDigest = request.DatasetDigest,
        };
        ValidMetric(metric, "", null);
        return await WriteAsync(http, db, runIds, writer, runId, [metric], [], []);
    }

    private static async Task<IResult> LogParameterAsync(HttpContext http, CairnDb db, RunIds runIds, RunDataWriter writer)
    {
        var request = await MlflowRequest.ReadAsync<KeyValueRequest>(http);
        var runId = request.RequireRunId();
        var param = ValidParam(new KeyValue(request.Key, request.Value ?? ""), "");
        return await WriteAsync(http, db, runIds, writer, runId, [], [param], []);
    }

    private static async Task<IResult> SetTagAsync(HttpContext http, CairnDb db, RunIds runIds, RunDataWriter writer)
    {
        var request = await MlflowRequest.ReadAsync<KeyValueRequest>(http);
        var runId = request.RequireRunId();
        var tags = ValidTags([new KeyValue(request.Key, request.Value ?? "")], null);
        return await WriteAsync(http, db, runIds, writer, runId, [], [], tags);
    }

    private static async Task<IResult> LogBatchAsync(HttpContext http, CairnDb db, RunIds runIds, RunDataWriter writer)
    {
        var request = await MlflowRequest.ReadAsync<LogBatchRequest>(http);
        var runId = request.RequireRunId();
        var metrics = request.Metrics ?? [];
        var parameters = request.Params ?? [];
        var tags = request.Tags ?? [];
        Limit(metrics.Count, TrackingRules.MaxBatchMetrics, "metrics");
        Limit(parameters.Count, TrackingRules.MaxBatchParams, "params");
        Limit(tags.Count, TrackingRules.MaxBatchTags, "tags");
        Limit(metrics.Count + parameters.Count + tags.Count, TrackingRules.MaxBatchItems, "metrics, params and tags together");
        var validKeys = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < metrics.Count; i++)
        {
            ValidMetric(metrics[i], $"metrics[{i}].", validKeys);
        }

        parameters = [.. parameters.Select((p, i) => ValidParam(p, $"params[{i}]."))];

        var duplicates = parameters.GroupBy(p => p.Key).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        if (duplicates.Count > 0)
        {
            throw MlflowException.InvalidParameter(
                $"Duplicate parameter keys have been submitted: [{string.Join(", ", duplicates.Select(d => $"'{d}'"))}]. Please ensure the request contains only one param value per param key.");
        }

        return await WriteAsync(http, db, runIds, writer, runId, metrics, parameters, ValidTags(tags, "tags"));
    }

    private static async Task<IResult> WriteAsync(
        HttpContext http, CairnDb db, RunIds runIds, RunDataWriter writer, string runUuid,
        IReadOnlyList<MetricInput> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags)
    {
        // The writer checks that the run is active inside the transaction that writes to it.
        var ct = http.RequestAborted;
        var runId = await runIds.ResolveAsync(db, runUuid, ct);
        await writer.WriteAsync(new RunWrite(runId, runUuid, metrics, parameters, tags), ct);

        return ExperimentsApi.Empty;
    }

    private static async Task<IResult> DeleteTagAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<KeyValueRequest>(http);
        var runId = request.RequireRunId();
        var key = TrackingRules.Required(request.Key, "key");
        var ct = http.RequestAborted;
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Uuid == runId, ct) ?? throw RunReader.NotFound(runId);
        RunsApi.EnsureActive(run);
        var deleted = await db.RunTags.Where(t => t.RunId == run.Id && t.Key == key).ExecuteDeleteAsync(ct);
        return deleted == 0
            ? throw MlflowException.NotFound($"No tag with name: {key} in run with id {runId}")
            : ExperimentsApi.Empty;
    }

    private static async Task<IResult> LogInputsAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<LogInputsRequest>(http);
        var runId = request.RequireRunId();
        var inputs = request.Datasets ?? [];
        for (var i = 0; i < inputs.Count; i++)
        {
            RunInputs.Validate(inputs[i], $"datasets[{i}]");
        }

        var models = request.Models ?? [];
        for (var i = 0; i < models.Count; i++)
        {
            TrackingRules.Required(models[i].ModelId, $"models[{i}].model_id");
        }

        var ct = http.RequestAborted;
        var run = await db.Runs.FirstOrDefaultAsync(r => r.Uuid == runId, ct) ?? throw RunReader.NotFound(runId);
        RunsApi.EnsureActive(run);
        await RunInputs.AddAsync(db, run, inputs, models, ct);
        return ExperimentsApi.Empty;
    }

    private static void Limit(int count, int max, string what)
    {
        if (count > max)
        {
            throw MlflowException.InvalidParameter(
                $"A batch logging request can contain at most {max} {what}. Got {count} {what}. Please split up the batch into multiple requests.");
        }
    }

    /// <summary>Checks one metric; a key already checked in the same batch (<paramref name="validKeys"/>) is not checked again.</summary>
    private static void ValidMetric(MetricInput metric, string prefix, HashSet<string>? validKeys)
    {
        if (metric.Key is null || validKeys is null || !validKeys.Contains(metric.Key))
        {
            TrackingRules.Key(metric.Key, $"{prefix}key", "Metric");
            validKeys?.Add(metric.Key!);
        }

        TrackingRules.Required(metric.Value, $"{prefix}value");
        TrackingRules.Required(metric.Timestamp, $"{prefix}timestamp");
        TrackingRules.Timestamp(metric.Timestamp, $"{prefix}timestamp");
        TrackingRules.Length(metric.DatasetName, $"{prefix}dataset_name", TrackingRules.MaxDatasetNameLength);
        TrackingRules.Length(metric.DatasetDigest, $"{prefix}dataset_digest", TrackingRules.MaxDatasetDigestLength);
    }

    /// <summary>Checks one param, cutting an over-long value to MLflow's limit.</summary>
    private static KeyValue ValidParam(KeyValue param, string prefix)
    {
        TrackingRules.Key(param.Key, $"{prefix}key", "Param");
        return param with { Value = TrackingRules.Truncated(param.Value, TrackingRules.MaxParamValueLength) };
    }

    /// <summary>Validates run tags, cutting over-long values to MLflow's limit; later values of a repeated key win, as in MLflow.</summary>
    public static List<KeyValue> ValidTags(List<KeyValue>? tags, string? field)
    {
        var list = tags ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            var prefix = field is null ? "" : $"{field}[{i}].";
            TrackingRules.Key(list[i].Key, $"{prefix}key", "Tag");
        }

        return [.. list.GroupBy(t => t.Key).Select(g => g.Last() with { Value = TrackingRules.Truncated(g.Last().Value, TrackingRules.MaxTagValueLength) })];
    }
}
