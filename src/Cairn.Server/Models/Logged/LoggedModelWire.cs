using Cairn.Server.Tracking;

namespace Cairn.Server.Models.Logged;

public sealed record LoggedModelJson(LoggedModelInfoJson Info, LoggedModelDataJson Data);

/// <summary>MLflow's <c>LoggedModelInfo</c>, fields in proto order.</summary>
public sealed record LoggedModelInfoJson(
    string ModelId,
    string ExperimentId,
    string Name,
    long CreationTimestampMs,
    long LastUpdatedTimestampMs,
    string ArtifactUri,
    string Status,
    string? ModelType,
    string? SourceRunId,
    string? StatusMessage,
    IReadOnlyList<KeyValue>? Tags,
    IReadOnlyList<ModelRegistrationJson>? Registrations);

/// <summary>A registry version made from a logged model: MLflow's <c>LoggedModelRegistrationInfo</c>.</summary>
public sealed record ModelRegistrationJson(string Name, string Version);

public sealed record LoggedModelDataJson(IReadOnlyList<KeyValue>? Params, IReadOnlyList<ModelMetricJson>? Metrics);

/// <summary>A model's metric point: MLflow's <c>Metric</c> with the fields 3.x added.</summary>
public sealed record ModelMetricJson(string Key, double Value, long Timestamp, long Step, string? DatasetName, string? DatasetDigest, string ModelId, string RunId);

public sealed class CreateLoggedModelRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Mlflow.ExperimentIdConverter))]
    public string? ExperimentId { get; set; }
    public string? Name { get; set; }
    public string? ModelType { get; set; }
    public string? SourceRunId { get; set; }
    public List<KeyValue>? Params { get; set; }
    public List<KeyValue>? Tags { get; set; }
}

public sealed class FinalizeLoggedModelRequest
{
    public LoggedModelStatus? Status { get; set; }
}

public sealed class GetLoggedModelRequest
{
    public bool? AllowDeleted { get; set; }
}

public sealed class LoggedModelKeyValuesRequest
{
    public List<KeyValue>? Params { get; set; }
    public List<KeyValue>? Tags { get; set; }
}

public sealed class ListLoggedModelArtifactsRequest
{
    public string? ArtifactDirectoryPath { get; set; }
    public string? PageToken { get; set; }
}

public sealed class LoggedModelArtifactFileRequest
{
    public string? ArtifactFilePath { get; set; }
}

public sealed class SearchLoggedModelsRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Mlflow.ExperimentIdsConverter))]
    public List<string>? ExperimentIds { get; set; }
    public string? Filter { get; set; }
    public List<DatasetFilter>? Datasets { get; set; }
    public int? MaxResults { get; set; }
    public List<OrderField>? OrderBy { get; set; }
    public string? PageToken { get; set; }

    public sealed class DatasetFilter
    {
        public string? DatasetName { get; set; }
        public string? DatasetDigest { get; set; }
    }

    public sealed class OrderField
    {
        public string? FieldName { get; set; }
        public bool? Ascending { get; set; }
        public string? DatasetName { get; set; }
        public string? DatasetDigest { get; set; }
    }
}
