using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Data;
using Cairn.Server.Models;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Runs;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Web.Runs;

/// <summary>A run the run page links to: its id, name and status.</summary>
public sealed record RunLink(string Id, string Name, string Status);

/// <summary>A model the run logged: its artifact path (2.x <c>log_model</c>) or logged-model name (3.x), and its flavors or id.</summary>
public sealed record LoggedModelLink(string Name, string Detail, string? ArtifactPath);

/// <summary>What the run page shows around a run: its experiment's name, its parent, its children and the models it logged.</summary>
public sealed record RunRelations(string? ExperimentName, RunLink? Parent, IReadOnlyList<RunLink> Children, IReadOnlyList<LoggedModelLink> Models)
{
    public const int MostChildren = 500;

    public static async Task<RunRelations> LoadAsync(CairnDb db, RunJson run, CancellationToken cancellationToken)
    {
        var experimentId = int.Parse(run.Info.ExperimentId, System.Globalization.CultureInfo.InvariantCulture);
        var experimentName = await db.Experiments.AsNoTracking().Where(e => e.Id == experimentId).Select(e => e.Name).FirstOrDefaultAsync(cancellationToken);
        var parentId = run.Data.Tags?.FirstOrDefault(t => t.Key == RunRow.ParentTag)?.Value;
        var parent = parentId is null ? null : await db.Runs.AsNoTracking().Where(r => r.Uuid == parentId)
            .Select(r => new RunLink(r.Uuid, r.Name, r.Status)).FirstOrDefaultAsync(cancellationToken);
        var children = await db.Runs.AsNoTracking()
            .Where(r => r.ExperimentId == experimentId && r.LifecycleStage == Lifecycle.Active
                && r.Tags.Any(t => t.Key == RunRow.ParentTag && t.Value == run.Info.RunId))
            .OrderBy(r => r.StartTime).Take(MostChildren)
            .Select(r => new RunLink(r.Uuid, r.Name, r.Status)).ToListAsync(cancellationToken);

        var models = History(run.Data.Tags?.FirstOrDefault(t => t.Key == LogModelHistory.Tag)?.Value);
        var outputIds = (run.Outputs?.ModelOutputs ?? []).Select(o => o.ModelId).ToList();
        if (outputIds.Count > 0)
        {
            models.AddRange(await db.LoggedModels.AsNoTracking().Where(m => outputIds.Contains(m.ModelId))
                .Select(m => new LoggedModelLink(m.Name, m.ModelId, null)).ToListAsync(cancellationToken));
        }

        return new RunRelations(experimentName, parent, children, models);
    }

    /// <summary>The models of a <c>mlflow.log-model.history</c> tag; an unreadable tag lists none (the tag is still shown).</summary>
    private static List<LoggedModelLink> History(string? tag)
    {
        try
        {
            return tag is null || JsonNode.Parse(tag) is not JsonArray entries ? [] : entries.OfType<JsonObject>()
                .Select(e => (Path: (string?)e["artifact_path"], Flavors: e["flavors"] as JsonObject))
                .Where(e => e.Path is not null)
                .Select(e => new LoggedModelLink(e.Path!, string.Join(", ", e.Flavors?.Select(f => f.Key) ?? []), e.Path))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
        catch (InvalidOperationException)
        {
            return []; // artifact_path that is not a string
        }
    }
}
