using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Metrics;

namespace Cairn.Server.Tracking.Runs;

/// <summary>A run. <see cref="Id"/> is the compact key other tables use; <see cref="Uuid"/> is the id clients see.</summary>
public sealed class Run
{
    public int Id { get; set; }
    public required string Uuid { get; set; }
    public int ExperimentId { get; set; }
    public required string Name { get; set; }
    public string UserId { get; set; } = "";
    public string Status { get; set; } = nameof(RunStatus.Running).ToUpperInvariant();
    public long StartTime { get; set; }
    public long? EndTime { get; set; }
    public required string ArtifactUri { get; set; }
    public string LifecycleStage { get; set; } = Lifecycle.Active;
    public long? DeletedTime { get; set; }

    public List<Param> Params { get; set; } = [];
    public List<RunTag> Tags { get; set; } = [];
    public List<LatestMetric> LatestMetrics { get; set; } = [];
    public List<RunInput> Inputs { get; set; } = [];
}

/// <summary>MLflow's run states; stored and sent by upper-case name (<c>RUNNING</c>).</summary>
public enum RunStatus
{
    Running = 1,
    Scheduled = 2,
    Finished = 3,
    Failed = 4,
    Killed = 5,
}

public sealed class Param
{
    public int RunId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

public sealed class RunTag
{
    public int RunId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
