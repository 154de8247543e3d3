namespace Cairn.Server.Tracking.Experiments;

public sealed class Experiment
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public required string ArtifactLocation { get; set; }
    public string LifecycleStage { get; set; } = Lifecycle.Active;
    public long CreationTime { get; set; }
    public long LastUpdateTime { get; set; }
    public List<ExperimentTag> Tags { get; set; } = [];
}

public sealed class ExperimentTag
{
    public int ExperimentId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

public static class Lifecycle
{
    public const string Active = "active";
    public const string Deleted = "deleted";
}
