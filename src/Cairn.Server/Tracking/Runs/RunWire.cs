namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// A run on the wire; <see cref="Outputs"/> only in runs/get, and no <see cref="Inputs"/> in runs/create's answer, as
/// MLflow's store answers.
/// </summary>
public sealed record RunJson(RunInfoJson Info, RunDataJson Data, RunInputsJson? Inputs, RunOutputsJson? Outputs = null);

public sealed record RunInfoJson(
    string RunId,
    string RunUuid,
    string RunName,
    string ExperimentId,
    string UserId,
    string Status,
    long StartTime,
    long? EndTime,
    string ArtifactUri,
    string LifecycleStage);

public sealed record RunDataJson(IReadOnlyList<MetricJson>? Metrics, IReadOnlyList<KeyValue>? Params, IReadOnlyList<KeyValue>? Tags);

public sealed record MetricJson(string Key, double Value, long Timestamp, long Step);

public sealed record MetricWithRunIdJson(string Key, double Value, long Timestamp, long Step, string RunId);

public sealed record RunInputsJson(IReadOnlyList<DatasetInputJson>? DatasetInputs, IReadOnlyList<ModelInputJson>? ModelInputs = null);

public sealed record ModelInputJson(string ModelId);

public sealed record RunOutputsJson(IReadOnlyList<ModelOutputJson>? ModelOutputs);

public sealed record ModelOutputJson(string ModelId, long Step);

public sealed record DatasetInputJson(IReadOnlyList<KeyValue>? Tags, DatasetJson Dataset);

public sealed record DatasetJson(string Name, string Digest, string SourceType, string Source, string? Schema, string? Profile);

public sealed class CreateRunRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Mlflow.ExperimentIdConverter))]
    public string? ExperimentId { get; set; }
    public string? UserId { get; set; }
    public string? RunName { get; set; }
    public long? StartTime { get; set; }
    public List<KeyValue>? Tags { get; set; }
}

public sealed class UpdateRunRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }
    public RunStatus? Status { get; set; }
    public long? EndTime { get; set; }
    public string? RunName { get; set; }
}

public class RunIdRequest
{
    public string? RunId { get; set; }
    public string? RunUuid { get; set; }

    /// <summary>The run id, read from <c>run_id</c> or the legacy <c>run_uuid</c>.</summary>
    public string RequireRunId() => TrackingRules.RunId(string.IsNullOrEmpty(RunId) ? RunUuid : RunId);
}

public sealed class LogMetricRequest : RunIdRequest
{
    public string? Key { get; set; }
    public double? Value { get; set; }
    public long? Timestamp { get; set; }
    public long? Step { get; set; }
    public string? ModelId { get; set; }
    public string? DatasetName { get; set; }
    public string? DatasetDigest { get; set; }
}

public sealed class KeyValueRequest : RunIdRequest
{
    public string? Key { get; set; }
    public string? Value { get; set; }
}

/// <summary>A metric point as log-metric and log-batch send it; 3.x clients may name the logged model and dataset it measures.</summary>
public sealed class MetricInput
{
    public string? Key { get; set; }
    public double? Value { get; set; }
    public long? Timestamp { get; set; }
    public long? Step { get; set; }
    public string? ModelId { get; set; }
    public string? DatasetName { get; set; }
    public string? DatasetDigest { get; set; }
}

public sealed class LogBatchRequest : RunIdRequest
{
    public List<MetricInput>? Metrics { get; set; }
    public List<KeyValue>? Params { get; set; }
    public List<KeyValue>? Tags { get; set; }
}

public sealed class DatasetInput
{
    public List<KeyValue>? Tags { get; set; }
    public DatasetBody? Dataset { get; set; }
}

public sealed class DatasetBody
{
    public string? Name { get; set; }
    public string? Digest { get; set; }
    public string? SourceType { get; set; }
    public string? Source { get; set; }
    public string? Schema { get; set; }
    public string? Profile { get; set; }
}

public sealed class LogInputsRequest : RunIdRequest
{
    public List<DatasetInput>? Datasets { get; set; }
    public List<ModelInput>? Models { get; set; }
}

/// <summary>A logged model a run used, as log-inputs names it.</summary>
public sealed class ModelInput
{
    public string? ModelId { get; set; }
}

public sealed class SearchRunsRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Mlflow.ExperimentIdsConverter))]
    public List<string>? ExperimentIds { get; set; }
    public string? Filter { get; set; }
    public Experiments.ViewType? RunViewType { get; set; }
    public int? MaxResults { get; set; }
    public List<string>? OrderBy { get; set; }
    public string? PageToken { get; set; }
}
