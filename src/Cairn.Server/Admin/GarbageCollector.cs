using Cairn.Server.Artifacts;
using Cairn.Server.Data;
using Cairn.Server.Tracking.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Admin;

/// <summary>One run gc looked at: removed (or, in a dry run, would be), or kept and why.</summary>
public sealed record CollectedRun(string RunId, string RunName, long DeletedTime, long Files, long Bytes, string? KeptBecause);

public sealed record GarbageReport(IReadOnlyList<CollectedRun> Runs, long FreedFiles, long FreedBytes, bool DryRun);

/// <summary>
/// Removes runs deleted longer ago than a retention period, for good: their artifacts, metrics and the rows
/// that describe them, as <c>mlflow gc</c> does. Unlike it, a run whose files back a live model version is kept
/// (and reported), since deleting them would break <c>models:/</c> URIs that still resolve.
/// </summary>
public sealed class GarbageCollector(CairnDb db, IArtifactStore store, TimeProvider clock)
{
    public async Task<GarbageReport> CollectAsync(TimeSpan olderThan, bool dryRun, IReadOnlyCollection<string>? runIds, CancellationToken cancellationToken)
    {
        var cutoff = clock.GetUtcNow().Subtract(olderThan).ToUnixTimeMilliseconds();
        var query = db.Runs.AsNoTracking().Where(r => r.LifecycleStage == Lifecycle.Deleted && r.DeletedTime <= cutoff);
        if (runIds is { Count: > 0 })
        {
            query = query.Where(r => runIds.Contains(r.Uuid));
        }

        var runs = await query.OrderBy(r => r.DeletedTime).Select(r => new { r.Id, r.Uuid, r.Name, r.ArtifactUri, r.DeletedTime }).ToListAsync(cancellationToken);
        var uuids = runs.Select(r => r.Uuid).ToArray();
        var registered = await db.ModelVersions.AsNoTracking().Where(v => !v.Deleted && v.RunId != null && uuids.Contains(v.RunId))
            .Select(v => new { v.RunId, v.Model.Name, v.Version }).ToListAsync(cancellationToken);
        var report = new List<CollectedRun>();
        foreach (var run in runs)
        {
            var (files, bytes) = await SizeAsync(run.ArtifactUri, cancellationToken);
            var backing = registered.FirstOrDefault(v => v.RunId == run.Uuid);
            if (backing is not null)
            {
                report.Add(new CollectedRun(run.Uuid, run.Name, run.DeletedTime ?? 0, files, bytes, $"registered as {backing.Name} v{backing.Version}"));
                continue;
            }

            if (!dryRun)
            {
                await RemoveAsync(run.Id, run.Uuid, run.ArtifactUri, cancellationToken);
            }

            report.Add(new CollectedRun(run.Uuid, run.Name, run.DeletedTime ?? 0, files, bytes, null));
        }

        var freed = report.Where(r => r.KeptBecause is null).ToList();
        return new GarbageReport(report, freed.Sum(r => r.Files), freed.Sum(r => r.Bytes), dryRun);
    }

    /// <summary>Files first: a crash between the two steps leaves a deleted run without files, which the next gc finishes.</summary>
    private async Task RemoveAsync(int runId, string runUuid, string artifactUri, CancellationToken cancellationToken)
    {
        if (ArtifactUris.StorePath(artifactUri) is { Length: > 0 } path)
        {
            // Cairn's own layout, <experiment>/<run>/artifacts: the run's whole folder goes.
            var runFolder = path.EndsWith($"/{runUuid}/artifacts", StringComparison.Ordinal) ? path[..^"/artifacts".Length] : path;
            await store.DeleteAsync(runFolder, cancellationToken);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        // Metric points and summaries are kept without foreign keys (write speed); the rest cascades from the run.
        await db.DeleteMetricPointsAsync(runId, cancellationToken);
        await db.MetricSummaries.Where(m => m.RunId == runId).ExecuteDeleteAsync(cancellationToken);
        await db.Runs.Where(r => r.Id == runId).ExecuteDeleteAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private async Task<(long Files, long Bytes)> SizeAsync(string artifactUri, CancellationToken cancellationToken)
    {
        if (ArtifactUris.StorePath(artifactUri) is not { Length: > 0 } root)
        {
            return (0, 0);
        }

        long files = 0, bytes = 0;
        var folders = new Stack<string>([root]);
        while (folders.TryPop(out var folder))
        {
            foreach (var entry in await store.ListAsync(folder, cancellationToken))
            {
                var path = $"{folder}/{entry.Name}";
                if (entry.IsDirectory)
                {
                    folders.Push(path);
                }
                else
                {
                    files++;
                    bytes += entry.Size ?? 0;
                }
            }
        }

        return (files, bytes);
    }
}
