using Cairn.Server.Data;
using Cairn.Server.Models.Logged;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// log-inputs: one dataset row per (experiment, name, digest); one input edge per (run, dataset), its tags replaced;
/// one edge per (run, logged model) the run used.
/// </summary>
public static class RunInputs
{
    public static void Validate(DatasetInput input, string field)
    {
        var dataset = input.Dataset ?? throw Mlflow.MlflowException.MissingParameter($"{field}.dataset");
        TrackingRules.Length(TrackingRules.Required(dataset.Name, $"{field}.dataset.name"), $"{field}.dataset.name", TrackingRules.MaxDatasetNameLength);
        TrackingRules.Length(TrackingRules.Required(dataset.Digest, $"{field}.dataset.digest"), $"{field}.dataset.digest", TrackingRules.MaxDatasetDigestLength);
        TrackingRules.Required(dataset.SourceType, $"{field}.dataset.source_type");
        TrackingRules.Length(TrackingRules.Required(dataset.Source, $"{field}.dataset.source"), $"{field}.dataset.source", TrackingRules.MaxDatasetSourceLength);
        TrackingRules.Length(dataset.Schema, $"{field}.dataset.schema", TrackingRules.MaxDatasetSchemaLength);
        TrackingRules.Length(dataset.Profile, $"{field}.dataset.profile", TrackingRules.MaxDatasetProfileLength);
        var tags = input.Tags ?? [];
        for (var i = 0; i < tags.Count; i++)
        {
            TrackingRules.Length(TrackingRules.Required(tags[i].Key, $"{field}.tags[{i}].key"), $"{field}.tags[{i}].key", TrackingRules.MaxInputTagKeyLength);
            TrackingRules.Length(TrackingRules.Required(tags[i].Value, $"{field}.tags[{i}].value"), $"{field}.tags[{i}].value", TrackingRules.MaxInputTagValueLength);
        }
    }

    public static async Task AddAsync(CairnDb db, Run run, IReadOnlyList<DatasetInput> inputs, IReadOnlyList<ModelInput> models, CancellationToken cancellationToken)
    {
        // Datasets are shared by the experiment's runs: two runs logging the same new dataset at once must not both insert it.
        await using var transaction = await db.BeginSerializedAsync($"experiment:{run.ExperimentId}:datasets", cancellationToken);
        var modelIds = await LoggedModelReader.IdsAsync(db, models.Select(m => m.ModelId!), cancellationToken);
        var used = await db.RunModelInputs.Where(i => i.RunId == run.Id).Select(i => i.LoggedModelId).ToListAsync(cancellationToken);
        db.RunModelInputs.AddRange(modelIds.Values.Except(used).Select(id => new RunModelInput { RunId = run.Id, LoggedModelId = id }));
        foreach (var input in inputs)
        {
            var body = input.Dataset!;
            var dataset = await db.Datasets.FirstOrDefaultAsync(
                d => d.ExperimentId == run.ExperimentId && d.Name == body.Name && d.Digest == body.Digest, cancellationToken);
            if (dataset is null)
            {
                dataset = new Dataset
                {
                    ExperimentId = run.ExperimentId,
                    Name = body.Name!,
                    Digest = body.Digest!,
                    SourceType = body.SourceType!,
                    Source = body.Source!,
                    Schema = body.Schema,
                    Profile = body.Profile,
                };
                db.Datasets.Add(dataset);
                await db.SaveChangesAsync(cancellationToken);
            }

            var edge = await db.RunInputs.Include(i => i.Tags)
                .FirstOrDefaultAsync(i => i.RunId == run.Id && i.DatasetId == dataset.Id, cancellationToken);
            if (edge is null)
            {
                edge = new RunInput { RunId = run.Id, DatasetId = dataset.Id };
                db.RunInputs.Add(edge);
            }

            var tags = (input.Tags ?? []).GroupBy(t => t.Key).Select(g => g.Last()).ToList();
            foreach (var tag in tags)
            {
                var existing = edge.Tags.FirstOrDefault(t => t.Key == tag.Key);
                if (existing is null)
                {
                    edge.Tags.Add(new InputTag { Key = tag.Key!, Value = tag.Value! });
                }
                else
                {
                    existing.Value = tag.Value!;
                }
            }

            await db.SaveChangesAsync(cancellationToken);
        }

        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }
}
