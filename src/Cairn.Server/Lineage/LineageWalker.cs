using System.Globalization;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Registry;
using Cairn.Server.Tracking.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Lineage;

/// <summary>
/// Walks lineage both ways from one node, breadth first: a model version comes from its source run, a run from
/// its dataset inputs and its experiment, a dataset from the experiment that holds it; and the other way round.
/// </summary>
public sealed class LineageWalker(CairnDb db)
{
    /// <summary>The most nodes one answer holds on each side; a larger graph is cut and marked truncated.</summary>
    public const int MaxNodes = 500;

    private readonly List<LineageEdge> _edges = [];
    private readonly HashSet<string> _edgeKeys = [];

    public async Task<LineageGraph> WalkAsync(string kind, string id, CancellationToken cancellationToken)
    {
        var root = await NodeAsync(kind, id, cancellationToken);
        var (upstream, upCut) = await WalkAsync(root, downstream: false, cancellationToken);
        var (downstream, downCut) = await WalkAsync(root, downstream: true, cancellationToken);
        return new LineageGraph(root, upstream, downstream, _edges, upCut || downCut);
    }

    private async Task<(List<LineageNode> Nodes, bool Truncated)> WalkAsync(LineageNode root, bool downstream, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string> { root.Key };
        var found = new List<LineageNode>();
        var queue = new Queue<LineageNode>([root]);
        while (queue.TryDequeue(out var node))
        {
            var next = downstream ? await DownstreamAsync(node, cancellationToken) : await UpstreamAsync(node, cancellationToken);
            foreach (var (neighbour, relation) in next)
            {
                AddEdge(downstream ? new LineageEdge(node.Key, neighbour.Key, relation) : new LineageEdge(neighbour.Key, node.Key, relation));
                if (seen.Add(neighbour.Key))
                {
                    if (found.Count == MaxNodes)
                    {
                        return (found, true);
                    }

                    found.Add(neighbour);
                    queue.Enqueue(neighbour);
                }
            }
        }

        return (found, false);
    }

    private void AddEdge(LineageEdge edge)
    {
        if (_edgeKeys.Add($"{edge.From}>{edge.To}>{edge.Relation}"))
        {
            _edges.Add(edge);
        }
    }

    private async Task<LineageNode> NodeAsync(string kind, string id, CancellationToken cancellationToken)
    {
        var node = kind switch
        {
            LineageKinds.Experiment => int.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var experimentId)
                ? await db.Experiments.AsNoTracking().Where(e => e.Id == experimentId).Select(e => Experiment(e)).FirstOrDefaultAsync(cancellationToken)
                : null,
            LineageKinds.Dataset => await db.Datasets.AsNoTracking().Where(d => d.Digest == id).Select(d => Dataset(d.Digest, d.Name, d.SourceType)).FirstOrDefaultAsync(cancellationToken),
            LineageKinds.Run => await db.Runs.AsNoTracking().Where(r => r.Uuid == id).Select(r => Run(r.Uuid, r.Name, r.Status)).FirstOrDefaultAsync(cancellationToken),
            LineageKinds.ModelVersion => await ModelVersionAsync(id, cancellationToken),
            _ => throw MlflowException.InvalidParameter($"Invalid lineage kind '{kind}': expected one of {string.Join(", ", LineageKinds.All)}."),
        };
        return node ?? throw MlflowException.NotFound($"No {kind.Replace('_', ' ')} with id '{id}'.");
    }

    private async Task<LineageNode?> ModelVersionAsync(string id, CancellationToken cancellationToken)
    {
        var slash = id.LastIndexOf('/');
        if (slash <= 0)
        {
            throw MlflowException.InvalidParameter($"Invalid model version id '{id}': expected NAME/VERSION.");
        }

        var name = id[..slash];
        var number = RegistryRules.Version(id[(slash + 1)..]);
        var version = await db.ModelVersions.AsNoTracking().Where(v => v.Model.Name == name && v.Version == number && !v.Deleted)
            .Select(v => new { v.Version, v.Stage }).FirstOrDefaultAsync(cancellationToken);
        return version is null ? null : ModelVersion(name, version.Version, version.Stage);
    }

    private async Task<List<(LineageNode, string)>> UpstreamAsync(LineageNode node, CancellationToken cancellationToken)
    {
        switch (node.Kind)
        {
            case LineageKinds.ModelVersion:
                var (name, number) = SplitVersion(node.Id);
                var runs = await db.ModelVersions.AsNoTracking()
                    .Where(v => v.Model.Name == name && v.Version == number && v.RunId != null)
                    .Join(db.Runs, v => v.RunId, r => r.Uuid, (v, r) => new { r.Uuid, r.Name, r.Status })
                    .ToListAsync(cancellationToken);
                return [.. runs.Select(r => (Run(r.Uuid, r.Name, r.Status), "registered_as"))];
            case LineageKinds.Run:
                var inputs = await db.RunInputs.AsNoTracking().Where(i => db.Runs.Any(r => r.Uuid == node.Id && r.Id == i.RunId))
                    .Select(i => new { i.Dataset.Digest, i.Dataset.Name, i.Dataset.SourceType, Context = i.Tags.Where(t => t.Key == "mlflow.data.context").Select(t => t.Value).FirstOrDefault() })
                    .ToListAsync(cancellationToken);
                var experiments = await db.Experiments.AsNoTracking().Where(e => db.Runs.Any(r => r.Uuid == node.Id && r.ExperimentId == e.Id))
                    .Select(e => Experiment(e)).ToListAsync(cancellationToken);
                return
                [
                    .. inputs.Select(i => (Dataset(i.Digest, i.Name, i.SourceType), i.Context is null ? "input" : $"input:{i.Context}")),
                    .. experiments.Select(e => (e, "contains")),
                ];
            case LineageKinds.Dataset:
                var holders = await db.Experiments.AsNoTracking().Where(e => db.Datasets.Any(d => d.Digest == node.Id && d.ExperimentId == e.Id))
                    .Select(e => Experiment(e)).ToListAsync(cancellationToken);
                return [.. holders.Select(e => (e, "holds"))];
            default:
                return [];
        }
    }

    private async Task<List<(LineageNode, string)>> DownstreamAsync(LineageNode node, CancellationToken cancellationToken)
    {
        switch (node.Kind)
        {
            case LineageKinds.Experiment:
                var experimentId = int.Parse(node.Id, CultureInfo.InvariantCulture);
                var datasets = await db.Datasets.AsNoTracking().Where(d => d.ExperimentId == experimentId)
                    .Select(d => new { d.Digest, d.Name, d.SourceType }).Take(MaxNodes + 1).ToListAsync(cancellationToken);
                var runs = await db.Runs.AsNoTracking().Where(r => r.ExperimentId == experimentId).OrderByDescending(r => r.StartTime)
                    .Select(r => new { r.Uuid, r.Name, r.Status }).Take(MaxNodes + 1).ToListAsync(cancellationToken);
                return [.. datasets.Select(d => (Dataset(d.Digest, d.Name, d.SourceType), "holds")), .. runs.Select(r => (Run(r.Uuid, r.Name, r.Status), "contains"))];
            case LineageKinds.Dataset:
                var users = await db.RunInputs.AsNoTracking().Where(i => i.Dataset.Digest == node.Id)
                    .Join(db.Runs, i => i.RunId, r => r.Id, (i, r) => new { r.Uuid, r.Name, r.Status, Context = i.Tags.Where(t => t.Key == "mlflow.data.context").Select(t => t.Value).FirstOrDefault() })
                    .Take(MaxNodes + 1).ToListAsync(cancellationToken);
                return [.. users.Select(r => (Run(r.Uuid, r.Name, r.Status), r.Context is null ? "input" : $"input:{r.Context}"))];
            case LineageKinds.Run:
                var versions = await db.ModelVersions.AsNoTracking().Where(v => v.RunId == node.Id && !v.Deleted)
                    .Select(v => new { v.Model.Name, v.Version, v.Stage }).ToListAsync(cancellationToken);
                return [.. versions.Select(v => (ModelVersion(v.Name, v.Version, v.Stage), "registered_as"))];
            default:
                return [];
        }
    }

    private static (string Name, int Version) SplitVersion(string id)
    {
        var slash = id.LastIndexOf('/');
        return (id[..slash], int.Parse(id[(slash + 1)..], CultureInfo.InvariantCulture));
    }

    private static LineageNode Experiment(Experiment e) =>
        new(LineageKinds.Experiment, e.Id.ToString(CultureInfo.InvariantCulture), e.Name);

    private static LineageNode Dataset(string digest, string name, string sourceType) =>
        new(LineageKinds.Dataset, digest, name, new Dictionary<string, string> { ["source_type"] = sourceType });

    private static LineageNode Run(string uuid, string name, string status) =>
        new(LineageKinds.Run, uuid, name, new Dictionary<string, string> { ["status"] = status });

    private static LineageNode ModelVersion(string name, int version, string stage) =>
        new(LineageKinds.ModelVersion, $"{name}/{version.ToString(CultureInfo.InvariantCulture)}", $"{name} v{version.ToString(CultureInfo.InvariantCulture)}",
            new Dictionary<string, string> { ["stage"] = stage });
}
