using System.Globalization;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Runs;

/// <summary>Loads whole runs (info, latest metrics, params, tags, inputs) for a set of runs, one query per table.</summary>
public static class RunReader
{
    /// <summary>One run as runs/get answers it: with the logged models it used (<c>inputs.model_inputs</c>) and produced (<c>outputs</c>).</summary>
    public static async Task<RunJson> GetAsync(CairnDb db, string runUuid, CancellationToken cancellationToken)
    {
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Uuid == runUuid, cancellationToken)
            ?? throw NotFound(runUuid);
        var json = (await LoadAsync(db, [run], cancellationToken))[0];
        var modelInputs = await db.RunModelInputs.AsNoTracking().Where(i => i.RunId == run.Id).OrderBy(i => i.Id)
            .Select(i => new ModelInputJson(i.LoggedModel.ModelId)).ToListAsync(cancellationToken);
        var modelOutputs = await db.RunModelOutputs.AsNoTracking().Where(o => o.RunId == run.Id).OrderBy(o => o.Id)
            .Select(o => new ModelOutputJson(o.LoggedModel.ModelId, o.Step)).ToListAsync(cancellationToken);
        return json with
        {
            Inputs = json.Inputs! with { ModelInputs = OrNull(modelInputs) },
            Outputs = new RunOutputsJson(OrNull(modelOutputs)),
        };
    }

    public static MlflowException NotFound(string runUuid) => MlflowException.NotFound($"Run with id={runUuid} not found");

    public static async Task<List<RunJson>> LoadAsync(CairnDb db, IReadOnlyList<Run> runs, CancellationToken cancellationToken)
    {
        var ids = runs.Select(r => r.Id).ToArray();
        var queries = RunRowQueries.For(db);
        var metrics = (await queries.LatestOf(db, ids).ToListAsync(cancellationToken))
            .ToLookup(m => m.RunId, m => new MetricJson(m.Name, m.IsNan ? double.NaN : m.Value, m.Timestamp, m.Step));
        var parameters = (await queries.ParamsOf(db, ids).ToListAsync(cancellationToken)).ToLookup(p => p.RunId, p => new KeyValue(p.Key, p.Value));
        var tags = (await queries.TagsOf(db, ids).ToListAsync(cancellationToken)).ToLookup(t => t.RunId, t => new KeyValue(t.Key, t.Value));
        var inputs = (await queries.InputsOf(db, ids).ToListAsync(cancellationToken)).OrderBy(i => i.Id)
            .ToLookup(i => i.RunId, i => new DatasetInputJson(
                i.Tags.Count == 0 ? null : i.Tags.Select(t => new KeyValue(t.Key, t.Value)).ToList(),
                new DatasetJson(i.Dataset.Name, i.Dataset.Digest, i.Dataset.SourceType, i.Dataset.Source, i.Dataset.Schema, i.Dataset.Profile)));

        return [.. runs.Select(run => new RunJson(
            Info(run),
            new RunDataJson(OrNull(metrics[run.Id]), OrNull(parameters[run.Id]), OrNull(tags[run.Id])),
            new RunInputsJson(OrNull(inputs[run.Id]))))];
    }

    public static RunInfoJson Info(Run run) => new(
        run.Uuid,
        run.Uuid,
        run.Name,
        run.ExperimentId.ToString(CultureInfo.InvariantCulture),
        run.UserId,
        run.Status,
        run.StartTime,
        run.EndTime,
        run.ArtifactUri,
        run.LifecycleStage);

    private static List<T>? OrNull<T>(IEnumerable<T> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? null : list;
    }
}
