using Cairn.Server.Tracking.Runs;

namespace Cairn.Server.Web.Runs;

/// <summary>One run as the runs table shows it: its values by key, and its place in the tree of nested runs.</summary>
public sealed class RunRow(RunJson run)
{
    /// <summary>The tag MLflow clients set on a nested run (<c>mlflow.start_run(nested=True)</c>).</summary>
    public const string ParentTag = "mlflow.parentRunId";

    public RunJson Run { get; } = run;
    public string Id => Run.Info.RunId;
    public Dictionary<string, string> Params { get; } = (run.Data.Params ?? []).ToDictionary(p => p.Key!, p => p.Value ?? "");
    public Dictionary<string, double> Metrics { get; } = (run.Data.Metrics ?? []).ToDictionary(m => m.Key, m => m.Value);
    public Dictionary<string, string> Tags { get; } = (run.Data.Tags ?? []).ToDictionary(t => t.Key!, t => t.Value ?? "");

    /// <summary>Who ran it: the <c>mlflow.user</c> tag MLflow clients set, else the run's user id.</summary>
    public string User => Tags.GetValueOrDefault(RunColumn.UserTag) is { Length: > 0 } user ? user : Run.Info.UserId;
    public string? ParentId { get; } = run.Data.Tags?.FirstOrDefault(t => t.Key == ParentTag)?.Value;
    public List<RunRow> Children { get; } = [];
    public int Depth { get; set; }
}

/// <summary>Arranges a page of runs as a tree: a run whose parent is on the page is listed under it.</summary>
public static class RunTree
{
    public static List<RunRow> Roots(IEnumerable<RunJson> page)
    {
        var rows = page.Select(r => new RunRow(r)).ToList();
        var byId = rows.ToDictionary(r => r.Id);
        var roots = new List<RunRow>();
        foreach (var row in rows)
        {
            if (row.ParentId is { } parentId && parentId != row.Id && byId.TryGetValue(parentId, out var parent))
            {
                parent.Children.Add(row);
            }
            else
            {
                roots.Add(row);
            }
        }

        return roots;
    }

    /// <summary>The rows to show, depth first: children follow their parent when the parent is expanded.</summary>
    public static List<RunRow> Visible(IEnumerable<RunRow> roots, IReadOnlySet<string> expanded)
    {
        var visible = new List<RunRow>();
        var seen = new HashSet<string>();
        void Add(RunRow row, int depth)
        {
            if (!seen.Add(row.Id))
            {
                return; // a cycle of parent tags must not hang the page
            }

            row.Depth = depth;
            visible.Add(row);
            if (expanded.Contains(row.Id))
            {
                foreach (var child in row.Children)
                {
                    Add(child, depth + 1);
                }
            }
        }

        foreach (var root in roots)
        {
            Add(root, 0);
        }

        return visible;
    }
}
