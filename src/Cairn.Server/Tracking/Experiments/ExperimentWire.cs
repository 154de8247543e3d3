namespace Cairn.Server.Tracking.Experiments;

public sealed record ExperimentJson(
    string ExperimentId,
    string Name,
    string ArtifactLocation,
    string LifecycleStage,
    long LastUpdateTime,
    long CreationTime,
    IReadOnlyList<KeyValue>? Tags)
{
    public static ExperimentJson From(Experiment e) => new(
        e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        e.Name,
        e.ArtifactLocation,
        e.LifecycleStage,
        e.LastUpdateTime,
        e.CreationTime,
        e.Tags.Count == 0 ? null : e.Tags.Select(t => new KeyValue(t.Key, t.Value)).ToList());
}

public sealed class CreateExperimentRequest
{
    public string? Name { get; set; }
    public string? ArtifactLocation { get; set; }
    public List<KeyValue>? Tags { get; set; }
}

public sealed class ExperimentIdRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Mlflow.ExperimentIdConverter))]
    public string? ExperimentId { get; set; }
}

public sealed class GetByNameRequest
{
    public string? ExperimentName { get; set; }
}

public sealed class UpdateExperimentRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Mlflow.ExperimentIdConverter))]
    public string? ExperimentId { get; set; }
    public string? NewName { get; set; }
}

public sealed class ExperimentTagRequest
{
    [System.Text.Json.Serialization.JsonConverter(typeof(Mlflow.ExperimentIdConverter))]
    public string? ExperimentId { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
}

public sealed class SearchExperimentsRequest
{
    public long? MaxResults { get; set; }
    public string? PageToken { get; set; }
    public string? Filter { get; set; }
    public List<string>? OrderBy { get; set; }
    public ViewType? ViewType { get; set; }
}

public enum ViewType
{
    ActiveOnly = 1,
    DeletedOnly = 2,
    All = 3,
}
