using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>Finds registry entities (with MLflow's not-found errors) and shapes them as MLflow answers them.</summary>
public static class RegistryReader
{
    public static async Task<RegisteredModel> ModelAsync(CairnDb db, string name, CancellationToken cancellationToken, bool tracking = false)
    {
        var query = db.RegisteredModels.Include(m => m.Tags).Include(m => m.Aliases).AsSplitQuery();
        return await (tracking ? query : query.AsNoTracking()).FirstOrDefaultAsync(m => m.Name == name, cancellationToken)
            ?? throw MlflowException.NotFound($"Registered Model with name={name} not found");
    }

    public static async Task<ModelVersion> VersionAsync(CairnDb db, RegisteredModel model, int version, CancellationToken cancellationToken, bool tracking = false)
    {
        var query = db.ModelVersions.Include(v => v.Tags).Where(v => v.ModelId == model.Id && v.Version == version && !v.Deleted);
        return await (tracking ? query : query.AsNoTracking()).FirstOrDefaultAsync(cancellationToken)
            ?? throw MlflowException.NotFound($"Model Version (name={model.Name}, version={version}) not found");
    }

    /// <summary>A version as get and create answer it, with its aliases; <paramref name="withAliases"/> false for the answers where MLflow sends none (searches, <c>latest_versions</c>).</summary>
    public static ModelVersionJson Json(ModelVersion version, RegisteredModel model, bool withAliases = true) =>
        ModelVersionJson.From(version, model.Name, withAliases ? model.Aliases : []);

    public static async Task<RegisteredModelJson> JsonAsync(CairnDb db, RegisteredModel model, CancellationToken cancellationToken) =>
        (await JsonAsync(db, [model], cancellationToken))[0];

    /// <summary>The models with their latest version per stage, read for the whole page in two queries.</summary>
    public static async Task<List<RegisteredModelJson>> JsonAsync(CairnDb db, IReadOnlyList<RegisteredModel> models, CancellationToken cancellationToken)
    {
        var ids = models.Select(m => m.Id).ToArray();
        var latest = await db.ModelVersions.AsNoTracking()
            .Where(v => ids.Contains(v.ModelId) && !v.Deleted)
            .GroupBy(v => new { v.ModelId, v.Stage })
            .Select(g => g.Max(v => v.Id))
            .ToListAsync(cancellationToken);
        var versions = latest.Count == 0
            ? []
            : await db.ModelVersions.AsNoTracking().Include(v => v.Tags).Where(v => latest.Contains(v.Id)).ToListAsync(cancellationToken);
        var byModel = versions.ToLookup(v => v.ModelId);
        return [.. models.Select(m => Json(m, byModel[m.Id]))];
    }

    private static RegisteredModelJson Json(RegisteredModel model, IEnumerable<ModelVersion> latest)
    {
        var latestVersions = latest.OrderBy(v => v.Version).Select(v => Json(v, model, withAliases: false)).ToList();
        return new RegisteredModelJson(
            model.Name,
            model.CreationTime,
            model.LastUpdatedTime,
            model.UserId,
            model.Description,
            latestVersions.Count == 0 ? null : latestVersions,
            model.Tags.Count == 0 ? null : [.. model.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValue(t.Key, t.Value))],
            model.Aliases.Count == 0 ? null : [.. model.Aliases.OrderBy(a => a.Alias, StringComparer.Ordinal).Select(a => new AliasJson(a.Alias, a.Version.ToString(System.Globalization.CultureInfo.InvariantCulture)))]);
    }
}
