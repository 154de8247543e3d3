using Cairn.Server.Tracking.Experiments;

namespace Cairn.Server.Models.Logged;

/// <summary>
/// A model logged to an experiment (MLflow 3.x): its files live under <see cref="ArtifactUri"/>, its params are
/// fixed, its tags change, its metrics arrive with the runs' (<see cref="LoggedModelMetric"/>). <see cref="Id"/> is
/// the compact key other tables use; <see cref="ModelId"/> (<c>m-</c> and 32 hex digits) is the id clients see.
/// </summary>
public sealed class LoggedModel
{
    public int Id { get; set; }
    public required string ModelId { get; set; }
    public int ExperimentId { get; set; }
    public required string Name { get; set; }
    public required string ArtifactUri { get; set; }

    /// <summary>The status by its proto name (<c>LOGGED_MODEL_READY</c>).</summary>
    public required string Status { get; set; }
    public string? StatusMessage { get; set; }
    public string? ModelType { get; set; }
    public string? SourceRunId { get; set; }
    public long CreationTimestamp { get; set; }
    public long LastUpdatedTimestamp { get; set; }
    public string LifecycleStage { get; set; } = Lifecycle.Active;

    public List<LoggedModelTag> Tags { get; set; } = [];
    public List<LoggedModelParam> Params { get; set; } = [];
}

/// <summary>MLflow's <c>LoggedModelStatus</c>; sent and stored by name (<c>LOGGED_MODEL_PENDING</c>).</summary>
public enum LoggedModelStatus
{
    LoggedModelStatusUnspecified = 0,
    LoggedModelPending = 1,
    LoggedModelReady = 2,
    LoggedModelUploadFailed = 3,
}

public sealed class LoggedModelTag
{
    public int LoggedModelId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>A logged model's param: written once, like a run's.</summary>
public sealed class LoggedModelParam
{
    public int LoggedModelId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}
