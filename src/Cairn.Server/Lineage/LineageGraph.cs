namespace Cairn.Server.Lineage;

/// <summary>The kinds of thing lineage connects, by the names the API uses in its paths.</summary>
public static class LineageKinds
{
    public const string Experiment = "experiment";
    public const string Dataset = "dataset";
    public const string Run = "run";
    public const string ModelVersion = "model_version";

    public static readonly string[] All = [Experiment, Dataset, Run, ModelVersion];
}

/// <summary>A node: <see cref="Id"/> is an experiment id, a dataset digest, a run id, or <c>name/version</c>.</summary>
public sealed record LineageNode(string Kind, string Id, string Label, IReadOnlyDictionary<string, string>? Attributes = null)
{
    public string Key => $"{Kind}:{Id}";
}

/// <summary>An edge pointing downstream, from what was used to what was made of it (dataset → run → model version).</summary>
public sealed record LineageEdge(string From, string To, string Relation);

/// <summary>
/// The graph around one node: everything it came from (upstream) and everything made from it (downstream), each
/// walked to the end or until <see cref="Truncated"/>.
/// </summary>
public sealed record LineageGraph(LineageNode Root, IReadOnlyList<LineageNode> Upstream, IReadOnlyList<LineageNode> Downstream, IReadOnlyList<LineageEdge> Edges, bool Truncated);
