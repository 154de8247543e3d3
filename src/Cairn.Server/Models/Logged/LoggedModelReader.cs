using System.Globalization;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Cairn.Server.Tracking.Experiments;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Models.Logged;

/// <summary>Finds logged models by id and loads them whole (info, tags, params, metrics), one query per table.</summary>
public static class LoggedModelReader
{
    public static MlflowException NotFound(string modelId) => MlflowException.NotFound($"Logged model with ID '{modelId}' not found.");

    /// <summary>The model, deleted or not (finalize, delete, tags and params reach deleted models, as in MLflow).</summary>
    public static async Task<LoggedModel> FindAsync(IQueryable<LoggedModel> models, string modelId, CancellationToken cancellationToken) =>
        await models.FirstOrDefaultAsync(m => m.ModelId == modelId, cancellationToken) ?? throw NotFound(modelId);

    /// <summary>The model unless it is deleted: what get, search and the artifact routes see.</summary>
    public static async Task<LoggedModel> FindActiveAsync(CairnDb db, string modelId, CancellationToken cancellationToken) =>
        await db.LoggedModels.AsNoTracking().FirstOrDefaultAsync(m => m.ModelId == modelId && m.LifecycleStage == Lifecycle.Active, cancellationToken)
            ?? throw NotFound(modelId);

    /// <summary>The compact ids of the named models (deleted ones too); the first unknown id is a 404.</summary>
    public static async Task<Dictionary<string, int>> IdsAsync(CairnDb db, IEnumerable<string> modelIds, CancellationToken cancellationToken)
    {
        var wanted = modelIds.Distinct(StringComparer.Ordinal).ToArray();
        var found = wanted.Length == 0
            ? []
            : await db.LoggedModels.AsNoTracking().Where(m => wanted.Contains(m.ModelId)).ToDictionaryAsync(m => m.ModelId, m => m.Id, StringComparer.Ordinal, cancellationToken);
        var missing = wanted.FirstOrDefault(id => !found.ContainsKey(id));
        return missing is null ? found : throw NotFound(missing);
    }

    public static async Task<List<LoggedModelJson>> LoadAsync(CairnDb db, IReadOnlyList<LoggedModel> models, CancellationToken cancellationToken)
    {
        var ids = models.Select(m => m.Id).ToArray();
        var tags = (await db.LoggedModelTags.AsNoTracking().Where(t => ids.Contains(t.LoggedModelId)).ToListAsync(cancellationToken))
            .ToLookup(t => t.LoggedModelId, t => new KeyValue(t.Key, t.Value));
        var parameters = (await db.LoggedModelParams.AsNoTracking().Where(p => ids.Contains(p.LoggedModelId)).ToListAsync(cancellationToken))
            .ToLookup(p => p.LoggedModelId, p => new KeyValue(p.Key, p.Value));
        var metrics = (await db.LoggedModelMetrics.AsNoTracking().Where(m => ids.Contains(m.LoggedModelId))
                .OrderBy(m => m.Key.Name).ThenBy(m => m.Step).ThenBy(m => m.Timestamp)
                .Select(m => new MetricRow(m.LoggedModelId, m.Key.Name, m.Value, m.IsNan, m.Timestamp, m.Step, m.DatasetName, m.DatasetDigest, m.Run.Uuid))
                .ToListAsync(cancellationToken))
            .ToLookup(m => m.LoggedModelId);
        var modelIds = models.Select(m => m.ModelId).ToArray();
        var registrations = (await db.ModelVersions.AsNoTracking()
                .Where(v => v.LoggedModelId != null && modelIds.Contains(v.LoggedModelId) && !v.Deleted)
                .OrderBy(v => v.Model.Name).ThenBy(v => v.Version)
                .Select(v => new { v.LoggedModelId, v.Model.Name, v.Version })
                .ToListAsync(cancellationToken))
            .ToLookup(v => v.LoggedModelId!, v => new ModelRegistrationJson(v.Name, v.Version.ToString(CultureInfo.InvariantCulture)), StringComparer.Ordinal);

        return [.. models.Select(model => new LoggedModelJson(
            Info(model, OrNull(tags[model.Id]), OrNull(registrations[model.ModelId])),
            new LoggedModelDataJson(
                OrNull(parameters[model.Id]),
                OrNull(metrics[model.Id].Select(m => new ModelMetricJson(m.Key, m.IsNan ? double.NaN : m.Value, m.Timestamp, m.Step, m.DatasetName, m.DatasetDigest, model.ModelId, m.RunId))))))];
    }

    public static async Task<LoggedModelJson> LoadAsync(CairnDb db, LoggedModel model, CancellationToken cancellationToken) =>
        (await LoadAsync(db, [model], cancellationToken))[0];

    private static LoggedModelInfoJson Info(LoggedModel model, IReadOnlyList<KeyValue>? tags, IReadOnlyList<ModelRegistrationJson>? registrations) => new(
        model.ModelId,
        model.ExperimentId.ToString(CultureInfo.InvariantCulture),
        model.Name,
        model.CreationTimestamp,
        model.LastUpdatedTimestamp,
        model.ArtifactUri,
        model.Status,
        model.ModelType,
        model.SourceRunId,
        model.StatusMessage,
        tags,
        registrations);

    private sealed record MetricRow(int LoggedModelId, string Key, double Value, bool IsNan, long Timestamp, long Step, string? DatasetName, string? DatasetDigest, string RunId);

    private static List<T>? OrNull<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }
}
