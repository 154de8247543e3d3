using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Runs;
using Cairn.Server.Tracking.Search;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Runs;

/// <summary>What the runs page asks for: one experiment's runs, filtered with MLflow's grammar, ordered, one page at a time.</summary>
public sealed record RunsQuery(int ExperimentId, string? Filter, string? OrderBy, string? PageToken, int PageSize = RunsQuery.DefaultPageSize)
{
    public const int DefaultPageSize = 100;

    /// <summary>The page, or the search's own error message (a filter the grammar rejects) for the page to show inline.</summary>
    public async Task<RunsPageResult> LoadAsync(CairnDb db, CancellationToken cancellationToken)
    {
        try
        {
            var request = new SearchRunsRequest
            {
                ExperimentIds = [ExperimentId.ToString(System.Globalization.CultureInfo.InvariantCulture)],
                Filter = Filter,
                MaxResults = PageSize,
                OrderBy = string.IsNullOrWhiteSpace(OrderBy) ? null : [OrderBy],
                PageToken = PageToken,
            };
            var (page, next) = await RunSearch.RunAsync(db, request, cancellationToken);
            return new RunsPageResult(page, next, null);
        }
        catch (MlflowException rejected)
        {
            return new RunsPageResult([], null, rejected.Message);
        }
    }

    /// <summary>The param and metric keys any active run of the experiment has: the columns a user can choose.</summary>
    public static async Task<RunColumns> ColumnsAsync(CairnDb db, int experimentId, CancellationToken cancellationToken)
    {
        var runs = db.Runs.Where(r => r.ExperimentId == experimentId && r.LifecycleStage == Lifecycle.Active).Select(r => r.Id);
        var paramKeys = await db.Params.AsNoTracking().Where(p => runs.Contains(p.RunId))
            .Select(p => p.Key).Distinct().OrderBy(k => k).Take(MaxColumns).ToListAsync(cancellationToken);
        var metricKeys = await db.LatestMetrics.AsNoTracking().Where(m => runs.Contains(m.RunId))
            .Select(m => m.Key.Name).Distinct().OrderBy(k => k).Take(MaxColumns).ToListAsync(cancellationToken);
        var tagKeys = await db.RunTags.AsNoTracking().Where(t => runs.Contains(t.RunId) && !t.Key.StartsWith(SystemTagPrefix))
            .Select(t => t.Key).Distinct().OrderBy(k => k).Take(MaxColumns).ToListAsync(cancellationToken);
        return new RunColumns(paramKeys, metricKeys, tagKeys);
    }

    /// <summary>The param and metric keys the given runs have.</summary>
    public static RunColumns ColumnsOf(IEnumerable<RunJson> runs)
    {
        var list = runs.ToList();
        return new RunColumns(
            list.SelectMany(r => r.Data.Params ?? []).Select(p => p.Key!).Distinct().Order(StringComparer.Ordinal).ToList(),
            list.SelectMany(r => r.Data.Metrics ?? []).Select(m => m.Key).Distinct().Order(StringComparer.Ordinal).ToList(),
            list.SelectMany(r => r.Data.Tags ?? []).Select(t => t.Key!).Where(k => !k.StartsWith(SystemTagPrefix, StringComparison.Ordinal))
                .Distinct().Order(StringComparer.Ordinal).ToList());
    }

    /// <summary>Tags MLflow clients set for themselves (<c>mlflow.runName</c>, <c>mlflow.user</c>…): not offered as columns.</summary>
    public const string SystemTagPrefix = "mlflow.";

    /// <summary>The page token of the search page that starts <paramref name="offset"/> runs in (the tokens count runs).</summary>
    public static string? TokenAt(int offset) => offset <= 0 ? null : Tracking.PageToken.Next(0, offset, offset);

    private const int MaxColumns = 500;
}

public sealed record RunsPageResult(IReadOnlyList<RunJson> Runs, string? NextPageToken, string? Error);

public sealed record RunColumns(IReadOnlyList<string> Params, IReadOnlyList<string> Metrics, IReadOnlyList<string> Tags)
{
    /// <summary>Every column the chooser offers, the columns the address names included.</summary>
    public List<RunColumn> All(IEnumerable<RunColumn> named) => RunColumn.Attributes
        .Concat(Params.Select(k => new RunColumn(ColumnKind.Param, k)))
        .Concat(Metrics.Select(k => new RunColumn(ColumnKind.Metric, k)))
        .Concat(Tags.Select(k => new RunColumn(ColumnKind.Tag, k)))
        .Concat(named).Distinct().Order().ToList();
}
