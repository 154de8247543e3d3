using Cairn.Client.Transport;

namespace Cairn.Client.Runs;

/// <summary>Where a run is in its life.</summary>
public enum RunStatus
{
    /// <summary>Started and not yet ended.</summary>
    Running = 1,

    /// <summary>Waiting to start.</summary>
    Scheduled = 2,

    /// <summary>Ended successfully.</summary>
    Finished = 3,

    /// <summary>Ended with an error.</summary>
    Failed = 4,

    /// <summary>Stopped from outside.</summary>
    Killed = 5,
}

/// <summary>One point of a metric.</summary>
/// <param name="Key">The metric name.</param>
/// <param name="Value">The value; NaN and infinities are allowed.</param>
/// <param name="Timestamp">When it was logged.</param>
/// <param name="Step">The step (epoch, iteration) it belongs to.</param>
public sealed record Metric(string Key, double Value, DateTimeOffset Timestamp, long Step)
{
    internal static Metric From(WireMetric m) => new(m.Key, m.Value, WireTime.From(m.Timestamp), m.Step ?? 0);
}

/// <summary>A dataset a run used, with its context (<c>training</c>, <c>evaluation</c>...).</summary>
/// <param name="Name">The dataset's name.</param>
/// <param name="Digest">Its content digest.</param>
/// <param name="Context">The <c>mlflow.data.context</c> tag, or null.</param>
public sealed record RunInput(string Name, string Digest, string? Context);

/// <summary>A run: its info, the latest value of each metric, params, tags and inputs.</summary>
/// <param name="Id">The run id (32 hex characters).</param>
/// <param name="Name">The run name.</param>
/// <param name="ExperimentId">The experiment it belongs to.</param>
/// <param name="UserId">Who ran it: the run's <c>user_id</c>, else its <c>mlflow.user</c> tag, else empty.</param>
/// <param name="Status">Where it is in its life.</param>
/// <param name="StartTime">When it started.</param>
/// <param name="EndTime">When it ended, or null while it runs.</param>
/// <param name="ArtifactUri">Where its artifacts go.</param>
/// <param name="IsDeleted">Whether it is deleted.</param>
/// <param name="Metrics">The latest point of each metric, by key.</param>
/// <param name="Params">Its parameters.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Inputs">The datasets it used.</param>
public sealed record Run(
    string Id,
    string Name,
    string ExperimentId,
    string UserId,
    RunStatus Status,
    DateTimeOffset StartTime,
    DateTimeOffset? EndTime,
    string ArtifactUri,
    bool IsDeleted,
    IReadOnlyDictionary<string, Metric> Metrics,
    IReadOnlyDictionary<string, string> Params,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<RunInput> Inputs)
{
    /// <summary>The parent run's id for a nested run (the <c>mlflow.parentRunId</c> tag), or null.</summary>
    public string? ParentRunId => Tags.GetValueOrDefault("mlflow.parentRunId");

    internal static Run From(WireRun run) => new(
        run.Info.RunId,
        run.Info.RunName ?? "",
        run.Info.ExperimentId,
        run.Info.UserId is { Length: > 0 } user ? user : run.Data?.Tags?.FirstOrDefault(t => t.Key == "mlflow.user")?.Value ?? "",
        Enum.TryParse<RunStatus>(run.Info.Status, ignoreCase: true, out var status) ? status : RunStatus.Running,
        WireTime.From(run.Info.StartTime),
        run.Info.EndTime is { } end ? WireTime.From(end) : null,
        run.Info.ArtifactUri ?? "",
        run.Info.LifecycleStage == "deleted",
        (run.Data?.Metrics ?? []).ToDictionary(m => m.Key, Metric.From, StringComparer.Ordinal),
        WireTime.Map(run.Data?.Params),
        WireTime.Map(run.Data?.Tags),
        [.. (run.Inputs?.DatasetInputs ?? []).Select(i => new RunInput(
            i.Dataset.Name, i.Dataset.Digest, i.Tags?.FirstOrDefault(t => t.Key == "mlflow.data.context")?.Value))]);
}
