using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>MLflow's model-version endpoints (research/mlflow-api.md §6). Every change is recorded in the audit trail.</summary>
public static class ModelVersionsApi
{
    public static RouteGroupBuilder MapModelVersions(this RouteGroupBuilder mlflow)
    {
        var group = mlflow.MapGroup("/model-versions");
        group.MapPost("/create", CreateAsync);
        group.MapGet("/get", GetAsync);
        group.MapPatch("/update", UpdateAsync);
        group.MapDelete("/delete", DeleteAsync);
        group.MapMethods("/search", ["GET", "POST"], SearchAsync);
        group.MapGet("/get-download-uri", DownloadUriAsync);
        group.MapPost("/transition-stage", TransitionStageAsync);
        group.MapPost("/set-tag", SetTagAsync);
        group.MapDelete("/delete-tag", DeleteTagAsync);
        return group;
    }

    private static IResult Version(ModelVersion version, RegisteredModel model) =>
        Results.Json(new { model_version = RegistryReader.Json(version, model) }, MlflowJson.Options);

    private static IResult Empty() => Results.Json(new { }, MlflowJson.Options);

    private static async Task<IResult> CreateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<CreateModelVersionRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var tags = (request.Tags ?? []).Select(t => RegistryRules.Tag(t.Key, t.Value, "tags.key")).DistinctBy(t => t.Key).ToList();
        var description = RegistryRules.Description(request.Description);
        TrackingRules.Length(request.RunLink, "run_link", 500);
        var ct = http.RequestAborted;
        var source = await ModelSources.ResolveAsync(db, request.Source, string.IsNullOrEmpty(request.RunId) ? null : request.RunId, ct);
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        var last = await db.ModelVersions.Where(v => v.ModelId == model.Id).MaxAsync(v => (int?)v.Version, ct) ?? 0;
        var version = new ModelVersion
        {
            ModelId = model.Id,
            Version = last + 1,
            CreationTime = change.Now,
            LastUpdatedTime = change.Now,
            UserId = change.UserId,
            Description = description,
            Source = source.Source,
            StorageLocation = source.StorageLocation,
            RunId = source.RunId,
            RunLink = string.IsNullOrEmpty(request.RunLink) ? null : request.RunLink,
            LoggedModelId = source.LoggedModelId ?? (string.IsNullOrEmpty(request.ModelId) ? null : request.ModelId),
            Tags = [.. tags.Select(t => new ModelVersionTag { Key = t.Key, Value = t.Value })],
        };
        db.ModelVersions.Add(version);
        model.LastUpdatedTime = change.Now;
        await db.SaveChangesAsync(ct);
        change.Record(RegistryActions.VersionCreated, model, version.Version, after: RegistryReader.Json(version, model));
        await change.CommitAsync(ct);
        return Version(version, model);
    }

    private static async Task<IResult> GetAsync(HttpContext http, CairnDb db)
    {
        var (model, version) = await FindAsync(http, db, await MlflowRequest.ReadAsync<ModelVersionRequest>(http), tracking: false);
        return Version(version, model);
    }

    private static async Task<IResult> DownloadUriAsync(HttpContext http, CairnDb db)
    {
        var (_, version) = await FindAsync(http, db, await MlflowRequest.ReadAsync<ModelVersionRequest>(http), tracking: false);
        // As MLflow: a runs:/ source is answered as it is (the client resolves it through the run); others by where the files are.
        var uri = version.Source.StartsWith("runs:/", StringComparison.Ordinal) ? version.Source : version.StorageLocation;
        return Results.Json(new { artifact_uri = uri }, MlflowJson.Options);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<UpdateDescriptionRequest>(http);
        var description = RegistryRules.Description(request.Description);
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var (model, version) = await FindAsync(http, db, new ModelVersionRequest { Name = request.Name, Version = request.Version }, tracking: true);
        var before = version.Description;
        version.Description = description;
        version.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.VersionUpdated, model, version.Version, before: new { description = before }, after: new { description });
        await change.CommitAsync(http.RequestAborted);
        return Version(version, model);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<ModelVersionRequest>(http);
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var (model, version) = await FindAsync(http, db, request, tracking: true);
        change.Record(RegistryActions.VersionDeleted, model, version.Version, before: RegistryReader.Json(version, model));
        ModelAliases.RemoveFrom(change, model, version.Version);
        version.Deleted = true;
        version.LastUpdatedTime = change.Now;
        version.Tags.Clear();
        model.LastUpdatedTime = change.Now;
        await change.CommitAsync(http.RequestAborted);
        return Empty();
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<RegistrySearchRequest>(http);
        var (page, next) = await RegistrySearch.VersionsAsync(db, request, http.RequestAborted);
        var versions = page.Select(v => RegistryReader.Json(v, v.Model, withAliases: false)).ToList();
        return Results.Json(new { model_versions = versions.Count == 0 ? null : versions, next_page_token = next }, MlflowJson.Options);
    }

    private static async Task<IResult> TransitionStageAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<TransitionStageRequest>(http);
        var stage = RegistryRules.Stage(request.Stage);
        var archive = request.ArchiveExistingVersions ?? false;
        if (archive && stage is not (Stages.Staging or Stages.Production))
        {
            throw MlflowException.InvalidParameter(
                $"Model version transition cannot archive existing model versions because '{stage}' is not an Active stage. Valid stages are {Stages.Staging}, {Stages.Production}");
        }

        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var (model, version) = await FindAsync(http, db, request, tracking: true);
        Move(change, model, version, stage);
        if (archive)
        {
            var others = await db.ModelVersions.Where(v => v.ModelId == model.Id && v.Stage == stage && v.Id != version.Id && !v.Deleted).ToListAsync(ct);
            foreach (var other in others)
            {
                Move(change, model, other, Stages.Archived);
            }
        }

        model.LastUpdatedTime = change.Now;
        await change.CommitAsync(ct);
        return Version(version, model);
    }

    private static void Move(RegistryChange change, RegisteredModel model, ModelVersion version, string stage)
    {
        var before = version.Stage;
        version.Stage = stage;
        version.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.StageChanged, model, version.Version, before: new { current_stage = before }, after: new { current_stage = stage });
    }

    private static async Task<IResult> SetTagAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<RegistryTagRequest>(http);
        var (key, value) = RegistryRules.Tag(request.Key, request.Value);
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var (model, version) = await FindAsync(http, db, new ModelVersionRequest { Name = request.Name, Version = request.Version }, tracking: true);
        var tag = version.Tags.FirstOrDefault(t => t.Key == key);
        var before = tag?.Value;
        if (tag is null)
        {
            version.Tags.Add(new ModelVersionTag { Key = key, Value = value });
        }
        else
        {
            tag.Value = value;
        }

        version.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.VersionTagSet, model, version.Version, before: before is null ? null : new KeyValue(key, before), after: new KeyValue(key, value));
        await change.CommitAsync(http.RequestAborted);
        return Empty();
    }

    private static async Task<IResult> DeleteTagAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<RegistryTagRequest>(http);
        var key = TrackingRules.Required(request.Key, "key");
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var (model, version) = await FindAsync(http, db, new ModelVersionRequest { Name = request.Name, Version = request.Version }, tracking: true);
        if (version.Tags.FirstOrDefault(t => t.Key == key) is { } tag)
        {
            version.Tags.Remove(tag);
            version.LastUpdatedTime = change.Now;
            change.Record(RegistryActions.VersionTagDeleted, model, version.Version, before: new KeyValue(key, tag.Value));
            await change.CommitAsync(http.RequestAborted);
        }

        return Empty();
    }

    private static async Task<(RegisteredModel Model, ModelVersion Version)> FindAsync(HttpContext http, CairnDb db, ModelVersionRequest request, bool tracking)
    {
        var name = RegistryRules.Name(request.Name);
        var number = RegistryRules.Version(request.Version);
        var model = await RegistryReader.ModelAsync(db, name, http.RequestAborted, tracking);
        return (model, await RegistryReader.VersionAsync(db, model, number, http.RequestAborted, tracking));
    }
}
