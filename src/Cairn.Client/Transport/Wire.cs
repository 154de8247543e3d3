namespace Cairn.Client.Transport;

// The MLflow JSON shapes, as the server sends them; mapped onto the public records by their From methods.
internal sealed record WireKeyValue(string Key, string? Value);

internal sealed record WireExperiment(
    string ExperimentId, string Name, string? ArtifactLocation, string? LifecycleStage, long? CreationTime, long? LastUpdateTime, List<WireKeyValue>? Tags);

internal sealed record WireRunInfo(
    string RunId, string? RunName, string ExperimentId, string? UserId, string? Status, long? StartTime, long? EndTime, string? ArtifactUri, string? LifecycleStage);

internal sealed record WireMetric(string Key, double Value, long Timestamp, long? Step);

internal sealed record WireRunData(List<WireMetric>? Metrics, List<WireKeyValue>? Params, List<WireKeyValue>? Tags);

internal sealed record WireDataset(string Name, string Digest, string? SourceType, string? Source);

internal sealed record WireDatasetInput(List<WireKeyValue>? Tags, WireDataset Dataset);

internal sealed record WireRunInputs(List<WireDatasetInput>? DatasetInputs);

internal sealed record WireRun(WireRunInfo Info, WireRunData? Data, WireRunInputs? Inputs);

internal sealed record ExperimentIdAnswer(string ExperimentId);

internal sealed record ExperimentAnswer(WireExperiment Experiment);

internal sealed record ExperimentsAnswer(List<WireExperiment>? Experiments, string? NextPageToken);

internal sealed record RunAnswer(WireRun Run);

internal sealed record RunsAnswer(List<WireRun>? Runs, string? NextPageToken);

internal sealed record MetricsAnswer(List<WireMetric>? Metrics, string? NextPageToken);

internal static class WireTime
{
    public static DateTimeOffset From(long? milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds ?? 0);

    public static long Of(DateTimeOffset time) => time.ToUnixTimeMilliseconds();

    public static IReadOnlyDictionary<string, string> Map(List<WireKeyValue>? pairs) =>
        (pairs ?? []).ToDictionary(p => p.Key, p => p.Value ?? "", StringComparer.Ordinal);

    public static object[] Pairs(IReadOnlyDictionary<string, string>? map) =>
        map is null ? [] : [.. map.Select(p => new { key = p.Key, value = p.Value })];
}

internal sealed record WireFileInfo(string Path, bool IsDir, long? FileSize);

internal sealed record ArtifactsAnswer(string? RootUri, List<WireFileInfo>? Files);
