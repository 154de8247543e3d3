namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// Data appended to one run by one request: validated metrics, params and tags. The writer applies it
/// atomically (all or nothing) and completes <see cref="Done"/> once the transaction holding it has committed.
/// </summary>
public sealed class RunWrite(int runId, string runUuid, IReadOnlyList<MetricInput> metrics, IReadOnlyList<KeyValue> parameters, IReadOnlyList<KeyValue> tags)
{
    public int RunId { get; } = runId;
    public string RunUuid { get; } = runUuid;
    public IReadOnlyList<MetricInput> Metrics { get; } = metrics;
    public IReadOnlyList<KeyValue> Params { get; } = parameters;
    public IReadOnlyList<KeyValue> Tags { get; } = tags;
    public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
