using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>MLflow's registered-model endpoints (research/mlflow-api.md §6). Every change is recorded in the audit trail.</summary>
public static class RegisteredModelsApi
{
    public static RouteGroupBuilder MapRegisteredModels(this RouteGroupBuilder mlflow)
    {
        var group = mlflow.MapGroup("/registered-models");
        group.MapPost("/create", CreateAsync);
        group.MapGet("/get", GetAsync);
        group.MapPost("/rename", RenameAsync);
        group.MapPatch("/update", UpdateAsync);
        group.MapDelete("/delete", DeleteAsync);
        group.MapMethods("/search", ["GET", "POST"], SearchAsync);
        group.MapMethods("/get-latest-versions", ["GET", "POST"], LatestVersionsAsync);
        group.MapPost("/set-tag", SetTagAsync);
        group.MapDelete("/delete-tag", DeleteTagAsync);
        group.MapPost("/alias", ModelAliases.SetAsync);
        group.MapDelete("/alias", ModelAliases.DeleteAsync);
        group.MapGet("/alias", ModelAliases.GetAsync);
        return group;
    }

    private static IResult Model(RegisteredModelJson model) => Results.Json(new { registered_model = model }, MlflowJson.Options);

    private static IResult Empty() => Results.Json(new { }, MlflowJson.Options);

    private static async Task<IResult> CreateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<CreateRegisteredModelRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var tags = (request.Tags ?? []).Select(t => RegistryRules.Tag(t.Key, t.Value, "tags.key")).ToList();
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        if (await db.RegisteredModels.AnyAsync(m => m.Name == name, ct))
        {
            throw MlflowException.AlreadyExists($"Registered Model (name={name}) already exists.");
        }

        var model = new RegisteredModel
        {
            Name = name,
            Description = RegistryRules.Description(request.Description),
            UserId = change.UserId,
            CreationTime = change.Now,
            LastUpdatedTime = change.Now,
            Tags = [.. tags.DistinctBy(t => t.Key).Select(t => new RegisteredModelTag { Key = t.Key, Value = t.Value })],
        };
        db.RegisteredModels.Add(model);
        await db.SaveChangesAsync(ct);
        var json = await RegistryReader.JsonAsync(db, model, ct);
        change.Record(RegistryActions.ModelCreated, model, after: json);
        await change.CommitAsync(ct);
        return Model(json);
    }

    private static async Task<IResult> GetAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<ModelNameRequest>(http);
        var model = await RegistryReader.ModelAsync(db, RegistryRules.Name(request.Name), http.RequestAborted);
        return Model(await RegistryReader.JsonAsync(db, model, http.RequestAborted));
    }

    private static async Task<IResult> RenameAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<RenameRegisteredModelRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var newName = RegistryRules.Name(request.NewName, "new_name");
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        if (newName != name && await db.RegisteredModels.AnyAsync(m => m.Name == newName, ct))
        {
            throw MlflowException.AlreadyExists($"Registered Model (name={newName}) already exists.");
        }

        model.Name = newName;
        model.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.ModelRenamed, model, before: new { name }, after: new { name = newName });
        await change.CommitAsync(ct);
        return Model(await RegistryReader.JsonAsync(db, model, ct));
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<UpdateDescriptionRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var description = RegistryRules.Description(request.Description);
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        var before = model.Description;
        model.Description = description;
        model.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.ModelUpdated, model, before: new { description = before }, after: new { description });
        await change.CommitAsync(ct);
        return Model(await RegistryReader.JsonAsync(db, model, ct));
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<ModelNameRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        var before = await RegistryReader.JsonAsync(db, model, ct);
        change.Record(RegistryActions.ModelDeleted, model, before: before);
        await db.ModelVersions.Where(v => v.ModelId == model.Id).ExecuteDeleteAsync(ct);
        db.RegisteredModels.Remove(model);
        await change.CommitAsync(ct);
        return Empty();
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<RegistrySearchRequest>(http);
        var (page, next) = await RegistrySearch.ModelsAsync(db, request, http.RequestAborted);
        var models = await RegistryReader.JsonAsync(db, page, http.RequestAborted);
        return Results.Json(new { registered_models = models.Count == 0 ? null : models, next_page_token = next }, MlflowJson.Options);
    }

    private static async Task<IResult> LatestVersionsAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<LatestVersionsRequest>(http);
        var model = await RegistryReader.ModelAsync(db, RegistryRules.Name(request.Name), http.RequestAborted);
        var stages = (request.Stages ?? []).Where(s => !string.IsNullOrEmpty(s)).Select(s => RegistryRules.Stage(s, "stages")).Distinct().ToList();
        var versions = await db.ModelVersions.AsNoTracking().Include(v => v.Tags)
            .Where(v => v.ModelId == model.Id && !v.Deleted)
            .Where(v => v.Id == db.ModelVersions.Where(o => o.ModelId == v.ModelId && o.Stage == v.Stage && !o.Deleted).Max(o => o.Id))
            .ToListAsync(http.RequestAborted);
        var chosen = versions.Where(v => stages.Count == 0 || stages.Contains(v.Stage)).OrderBy(v => v.Version).Select(v => RegistryReader.Json(v, model)).ToList();
        return Results.Json(new { model_versions = chosen.Count == 0 ? null : chosen }, MlflowJson.Options);
    }

    private static async Task<IResult> SetTagAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<RegistryTagRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var (key, value) = RegistryRules.Tag(request.Key, request.Value);
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        var tag = model.Tags.FirstOrDefault(t => t.Key == key);
        var before = tag?.Value;
        if (tag is null)
        {
            model.Tags.Add(new RegisteredModelTag { Key = key, Value = value });
        }
        else
        {
            tag.Value = value;
        }

        model.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.ModelTagSet, model, before: before is null ? null : new KeyValue(key, before), after: new KeyValue(key, value));
        await change.CommitAsync(ct);
        return Empty();
    }

    private static async Task<IResult> DeleteTagAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<RegistryTagRequest>(http);
        var name = RegistryRules.Name(request.Name);
        var key = TrackingRules.Required(request.Key, "key");
        var ct = http.RequestAborted;
        await using var change = await RegistryChange.BeginAsync(http, db, clock);
        var model = await RegistryReader.ModelAsync(db, name, ct, tracking: true);
        // As MLflow's stores: deleting a tag that is not there changes nothing and is not an error.
        if (model.Tags.FirstOrDefault(t => t.Key == key) is not { } tag)
        {
            return Empty();
        }

        model.Tags.Remove(tag);
        model.LastUpdatedTime = change.Now;
        change.Record(RegistryActions.ModelTagDeleted, model, before: new KeyValue(key, tag.Value));
        await change.CommitAsync(ct);
        return Empty();
    }
}
