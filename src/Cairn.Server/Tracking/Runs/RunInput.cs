namespace Cairn.Server.Tracking.Runs;

/// <summary>A dataset as MLflow's log-inputs describes it; one row per (experiment, name, digest).</summary>
public sealed class Dataset
{
    public int Id { get; set; }
    public int ExperimentId { get; set; }
    public required string Name { get; set; }
    public required string Digest { get; set; }
    public required string SourceType { get; set; }
    public required string Source { get; set; }
    public string? Schema { get; set; }
    public string? Profile { get; set; }
}

/// <summary>An edge from a dataset to the run that used it, with the input's tags (such as <c>mlflow.data.context</c>).</summary>
public sealed class RunInput
{
    public int Id { get; set; }
    public int RunId { get; set; }
    public int DatasetId { get; set; }
    public Dataset Dataset { get; set; } = null!;
    public List<InputTag> Tags { get; set; } = [];
}

public sealed class InputTag
{
    public int RunInputId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
