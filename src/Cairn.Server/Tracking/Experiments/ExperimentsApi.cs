using System.Globalization;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Experiments;

/// <summary>MLflow's experiment endpoints (research/mlflow-api.md §5.1).</summary>
public static class ExperimentsApi
{
    public static RouteGroupBuilder MapExperiments(this RouteGroupBuilder mlflow)
    {
        var group = mlflow.MapGroup("/experiments");
        group.MapPost("/create", CreateAsync);
        group.MapGet("/get", GetAsync);
        group.MapGet("/get-by-name", GetByNameAsync);
        group.MapMethods("/search", ["GET", "POST"], SearchAsync);
        group.MapPost("/update", UpdateAsync);
        group.MapPost("/delete", DeleteAsync);
        group.MapPost("/restore", RestoreAsync);
        group.MapPost("/set-experiment-tag", SetTagAsync);
        group.MapPost("/delete-experiment-tag", DeleteTagAsync);
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<CreateExperimentRequest>(http);
        var name = TrackingRules.Required(request.Name, "name");
        TrackingRules.Length(name, "name", TrackingRules.MaxExperimentNameLength);
        ValidateArtifactLocation(request.ArtifactLocation);
        var tags = ValidTags(request.Tags);
        var ct = http.RequestAborted;

        if (await db.Experiments.AnyAsync(e => e.Name == name, ct))
        {
            throw MlflowException.AlreadyExists(
                $"Experiment(name={name}) already exists. Restore the deleted experiment of that name or choose another name.");
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var experiment = new Experiment
        {
            Name = name,
            ArtifactLocation = request.ArtifactLocation ?? "",
            CreationTime = now,
            LastUpdateTime = now,
            Tags = [.. tags.Select(t => new ExperimentTag { Key = t.Key!, Value = t.Value ?? "" })],
        };
        db.Experiments.Add(experiment);
        await db.SaveChangesAsync(ct);
        if (string.IsNullOrEmpty(experiment.ArtifactLocation))
        {
            experiment.ArtifactLocation = $"mlflow-artifacts:/{experiment.Id}";
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
        return Results.Json(new { experiment_id = Id(experiment) }, MlflowJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<ExperimentIdRequest>(http);
        var experiment = await FindAsync(db, request.ExperimentId, http.RequestAborted);
        return Results.Json(new { experiment = ExperimentJson.From(experiment) }, MlflowJson.Options);
    }

    private static async Task<IResult> GetByNameAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<GetByNameRequest>(http);
        var name = TrackingRules.Required(request.ExperimentName, "experiment_name");
        var experiment = await db.Experiments.AsNoTracking().Include(e => e.Tags)
            .Where(e => e.Name == name)
            .OrderBy(e => e.LifecycleStage == Lifecycle.Active ? 0 : 1)
            .FirstOrDefaultAsync(http.RequestAborted)
            ?? throw MlflowException.NotFound($"Could not find experiment with name '{name}'");
        return Results.Json(new { experiment = ExperimentJson.From(experiment) }, MlflowJson.Options);
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<SearchExperimentsRequest>(http);
        var (experiments, next) = await ExperimentSearch.RunAsync(db, request, http.RequestAborted);
        return Results.Json(
            new { experiments = experiments.Count == 0 ? null : experiments.Select(ExperimentJson.From), next_page_token = next },
            MlflowJson.Options);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<UpdateExperimentRequest>(http);
        var newName = TrackingRules.Required(request.NewName, "new_name");
        TrackingRules.Length(newName, "new_name", TrackingRules.MaxExperimentNameLength);
        var experiment = await FindTrackedAsync(db, request.ExperimentId, http.RequestAborted);
        if (experiment.LifecycleStage != Lifecycle.Active)
        {
            throw MlflowException.InvalidParameter($"Cannot rename a non-active experiment ({Id(experiment)}).");
        }

        if (experiment.Name != newName && await db.Experiments.AnyAsync(e => e.Name == newName, http.RequestAborted))
        {
            throw MlflowException.AlreadyExists($"Experiment(name={newName}) already exists.");
        }

        experiment.Name = newName;
        experiment.LastUpdateTime = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(http.RequestAborted);
        return Empty;
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<ExperimentIdRequest>(http);
        return await SetLifecycleAsync(http, db, clock, request.ExperimentId, Lifecycle.Deleted);
    }

    private static async Task<IResult> RestoreAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<ExperimentIdRequest>(http);
        return await SetLifecycleAsync(http, db, clock, request.ExperimentId, Lifecycle.Active);
    }

    /// <summary>Deleting an experiment deletes its active runs; restoring it restores them (as MLflow's SQL store does).</summary>
    private static async Task<IResult> SetLifecycleAsync(HttpContext http, CairnDb db, TimeProvider clock, string? experimentId, string stage)
    {
        var ct = http.RequestAborted;
        var experiment = await FindTrackedAsync(db, experimentId, ct);
        if (stage == Lifecycle.Deleted && experiment.Id == 0)
        {
            throw MlflowException.InvalidParameter("The default experiment (0) cannot be deleted.");
        }

        // As MLflow: deleting a deleted experiment, or restoring an active one, names an experiment that is not there to change.
        if (experiment.LifecycleStage == stage)
        {
            throw MlflowException.NotFound(stage == Lifecycle.Deleted
                ? $"Experiment {Id(experiment)} is already deleted."
                : $"Experiment {Id(experiment)} is not deleted, so there is nothing to restore.");
        }

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        experiment.LifecycleStage = stage;
        experiment.LastUpdateTime = now;
        await db.SaveChangesAsync(ct);
        var from = stage == Lifecycle.Deleted ? Lifecycle.Active : Lifecycle.Deleted;
        long? deletedTime = stage == Lifecycle.Deleted ? now : null;
        await db.Runs.Where(r => r.ExperimentId == experiment.Id && r.LifecycleStage == from)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LifecycleStage, stage).SetProperty(r => r.DeletedTime, deletedTime), ct);
        await transaction.CommitAsync(ct);
        return Empty;
    }

    private static async Task<IResult> SetTagAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<ExperimentTagRequest>(http);
        TrackingRules.Key(request.Key, "key", "Experiment tag");
        TrackingRules.Length(request.Value, "value", TrackingRules.MaxExperimentTagValueLength);
        var experiment = await FindActiveAsync(db, request.ExperimentId, http.RequestAborted);
        var existing = experiment.Tags.FirstOrDefault(t => t.Key == request.Key);
        if (existing is null)
        {
            experiment.Tags.Add(new ExperimentTag { Key = request.Key!, Value = request.Value ?? "" });
        }
        else
        {
            existing.Value = request.Value ?? "";
        }

        await db.SaveChangesAsync(http.RequestAborted);
        return Empty;
    }

    private static async Task<IResult> DeleteTagAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<ExperimentTagRequest>(http);
        var key = TrackingRules.Required(request.Key, "key");
        var experiment = await FindActiveAsync(db, request.ExperimentId, http.RequestAborted);
        var existing = experiment.Tags.FirstOrDefault(t => t.Key == key)
            ?? throw MlflowException.NotFound($"No tag with name: {key} in experiment with id {Id(experiment)}");
        experiment.Tags.Remove(existing);
        await db.SaveChangesAsync(http.RequestAborted);
        return Empty;
    }

    public static IResult Empty { get; } = Results.Text("{}", "application/json");

    public static string Id(Experiment experiment) => experiment.Id.ToString(CultureInfo.InvariantCulture);

    public static int ParseId(string? experimentId, string field = "experiment_id")
    {
        TrackingRules.Required(experimentId, field);
        return int.TryParse(experimentId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? id
            : throw MlflowException.NotFound($"No Experiment with id={experimentId} exists");
    }

    /// <summary>The experiment something is about to be created in: 404 when there is none, 400 when it is deleted.</summary>
    public static async Task<Experiment> GetActiveAsync(CairnDb db, string? experimentId, CancellationToken ct) =>
        EnsureActive(await FindAsync(db, experimentId, ct));

    private static Task<Experiment> FindAsync(CairnDb db, string? experimentId, CancellationToken ct) =>
        FindAsync(db.Experiments.AsNoTracking(), experimentId, ct);

    private static Task<Experiment> FindTrackedAsync(CairnDb db, string? experimentId, CancellationToken ct) =>
        FindAsync(db.Experiments, experimentId, ct);

    private static async Task<Experiment> FindAsync(IQueryable<Experiment> experiments, string? experimentId, CancellationToken ct)
    {
        var id = ParseId(experimentId);
        return await experiments.Include(e => e.Tags).FirstOrDefaultAsync(e => e.Id == id, ct)
            ?? throw MlflowException.NotFound($"No Experiment with id={experimentId} exists");
    }

    private static async Task<Experiment> FindActiveAsync(CairnDb db, string? experimentId, CancellationToken ct) =>
        EnsureActive(await FindTrackedAsync(db, experimentId, ct));

    private static Experiment EnsureActive(Experiment experiment) =>
        experiment.LifecycleStage == Lifecycle.Active
            ? experiment
            : throw MlflowException.InvalidParameter($"The experiment {Id(experiment)} must be in the 'active' state. Current state is {experiment.LifecycleStage}.");

    private static List<KeyValue> ValidTags(List<KeyValue>? tags)
    {
        var list = tags ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            TrackingRules.Key(list[i].Key, $"tags[{i}].key", "Experiment tag");
            TrackingRules.Length(list[i].Value, $"tags[{i}].value", TrackingRules.MaxExperimentTagValueLength);
        }

        return [.. list.GroupBy(t => t.Key).Select(g => g.Last())];
    }

    private static void ValidateArtifactLocation(string? location)
    {
        if (location is null)
        {
            return;
        }

        if (location.StartsWith("runs:", StringComparison.OrdinalIgnoreCase))
        {
            throw MlflowException.InvalidParameter($"Invalid value \"{location}\" for parameter 'artifact_location': a 'runs:/' URI is not an artifact location.");
        }

        if (location.Contains('#') || location.Contains(';'))
        {
            throw MlflowException.InvalidParameter($"Invalid value \"{location}\" for parameter 'artifact_location': URL fragments and ';params' are not allowed.");
        }

        TrackingRules.Length(location, "artifact_location", 2048);
    }
}
