using Cairn.Server.Lineage;

namespace Cairn.Server.Web.Lineage;

/// <summary>A node placed on the diagram.</summary>
public sealed record PlacedNode(LineageNode Node, double X, double Y, bool IsRoot);

/// <summary>
/// Lays a lineage graph out left to right in columns by kind (experiment, dataset, run, model version), so every
/// edge points rightwards, from what was used to what was made.
/// </summary>
public sealed record LineageLayout(IReadOnlyList<PlacedNode> Nodes, IReadOnlyList<(PlacedNode From, PlacedNode To, string Relation)> Edges, double Width, double Height)
{
    public const double NodeWidth = 190;
    public const double NodeHeight = 40;
    private const double ColumnGap = 70;
    private const double RowGap = 14;
    private const int MaxPerColumn = 25;

    private static readonly string[] Columns = [LineageKinds.Experiment, LineageKinds.Dataset, LineageKinds.Run, LineageKinds.ModelVersion];

    public static LineageLayout Of(LineageGraph graph)
    {
        var all = graph.Upstream.Prepend(graph.Root).Concat(graph.Downstream).DistinctBy(n => n.Key).ToList();
        var placed = new Dictionary<string, PlacedNode>();
        var rows = 0;
        for (var column = 0; column < Columns.Length; column++)
        {
            var inColumn = all.Where(n => n.Kind == Columns[column]).Take(MaxPerColumn).ToList();
            for (var row = 0; row < inColumn.Count; row++)
            {
                var node = inColumn[row];
                placed[node.Key] = new PlacedNode(node, column * (NodeWidth + ColumnGap), row * (NodeHeight + RowGap), node.Key == graph.Root.Key);
            }

            rows = Math.Max(rows, inColumn.Count);
        }

        var edges = graph.Edges
            .Where(e => placed.ContainsKey(e.From) && placed.ContainsKey(e.To))
            .Select(e => (placed[e.From], placed[e.To], e.Relation))
            .ToList();
        return new LineageLayout([.. placed.Values], edges, Columns.Length * (NodeWidth + ColumnGap) - ColumnGap, Math.Max(1, rows) * (NodeHeight + RowGap));
    }

    /// <summary>Where a node's page is, if it has one.</summary>
    public static string? Link(LineageNode node) => node.Kind switch
    {
        LineageKinds.Experiment => $"experiments/{node.Id}",
        LineageKinds.Run => $"runs/{node.Id}",
        LineageKinds.ModelVersion => $"models/{Uri.EscapeDataString(node.Id[..node.Id.LastIndexOf('/')])}",
        _ => null,
    };
}
