using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Runs;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Models.Logged;

/// <summary>MLflow 3.x logged models (research/mlflow-api.md §8.1): create, get, finalize, delete, search, tags, params, artifacts.</summary>
public static class LoggedModelsApi
{
    public static RouteGroupBuilder MapLoggedModels(this RouteGroupBuilder mlflow)
    {
        mlflow.MapPost("/logged-models", CreateAsync);
        var group = mlflow.MapGroup("/logged-models");
        group.MapPost("/search", SearchAsync);
        group.MapGet("/{modelId}", GetAsync);
        group.MapPatch("/{modelId}", FinalizeAsync);
        group.MapDelete("/{modelId}", DeleteAsync);
        group.MapPatch("/{modelId}/tags", SetTagsAsync);
        group.MapDelete("/{modelId}/tags/{**tagKey}", DeleteTagAsync);
        group.MapPost("/{modelId}/params", LogParamsAsync);
        group.MapLoggedModelArtifacts();
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<CreateLoggedModelRequest>(http);
        TrackingRules.Required(request.ExperimentId, "experiment_id");
        var name = string.IsNullOrEmpty(request.Name) ? RunNames.Random() : request.Name;
        TrackingRules.Length(name, "name", LoggedModelRules.MaxNameLength);
        TrackingRules.Length(request.ModelType, "model_type", LoggedModelRules.MaxNameLength);
        var parameters = LoggedModelRules.Params(request.Params, "params");
        var tags = LoggedModelRules.Tags(request.Tags, "tags");
        var ct = http.RequestAborted;
        var experiment = await ExperimentsApi.GetActiveAsync(db, request.ExperimentId, ct);

        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var modelId = "m-" + Guid.NewGuid().ToString("N");
        var model = new LoggedModel
        {
            ModelId = modelId,
            ExperimentId = experiment.Id,
            Name = name,
            ArtifactUri = $"{experiment.ArtifactLocation.TrimEnd('/')}/models/{modelId}/artifacts",
            Status = LoggedModelStatusNames.Pending,
            ModelType = string.IsNullOrEmpty(request.ModelType) ? null : request.ModelType,
            SourceRunId = string.IsNullOrEmpty(request.SourceRunId) ? null : request.SourceRunId,
            CreationTimestamp = now,
            LastUpdatedTimestamp = now,
            Params = [.. parameters.Select(p => new LoggedModelParam { Key = p.Key!, Value = p.Value! })],
            Tags = [.. tags.Select(t => new LoggedModelTag { Key = t.Key!, Value = t.Value! })],
        };
        db.LoggedModels.Add(model);
        await db.SaveChangesAsync(ct);
        return await ModelAsync(db, model, ct);
    }

    private static async Task<IResult> GetAsync(HttpContext http, string modelId, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<GetLoggedModelRequest>(http);
        var ct = http.RequestAborted;
        var model = request.AllowDeleted == true
            ? await LoggedModelReader.FindAsync(db.LoggedModels.AsNoTracking(), modelId, ct)
            : await LoggedModelReader.FindActiveAsync(db, modelId, ct);
        return await ModelAsync(db, model, ct);
    }

    private static async Task<IResult> FinalizeAsync(HttpContext http, string modelId, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<FinalizeLoggedModelRequest>(http);
        var status = request.Status ?? throw MlflowException.MissingParameter("status");
        if (status is not (LoggedModelStatus.LoggedModelReady or LoggedModelStatus.LoggedModelUploadFailed))
        {
            var shown = Enum.IsDefined(status) ? LoggedModelStatusNames.Of(status) : ((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture);
            throw MlflowException.InvalidParameter(
                $"Invalid value {shown} for parameter 'status' supplied: a logged model is finalized as LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.");
        }

        var ct = http.RequestAborted;
        var model = await LoggedModelReader.FindAsync(db.LoggedModels, modelId, ct);
        model.Status = LoggedModelStatusNames.Of(status);
        model.LastUpdatedTimestamp = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        return await ModelAsync(db, model, ct);
    }

    /// <summary>Soft delete, as MLflow: the model leaves get and search; its files stay.</summary>
    private static async Task<IResult> DeleteAsync(HttpContext http, string modelId, CairnDb db, TimeProvider clock)
    {
        var ct = http.RequestAborted;
        var model = await LoggedModelReader.FindAsync(db.LoggedModels, modelId, ct);
        model.LifecycleStage = Lifecycle.Deleted;
        model.LastUpdatedTimestamp = clock.GetUtcNow().ToUnixTimeMilliseconds();
        await db.SaveChangesAsync(ct);
        return ExperimentsApi.Empty;
    }

    private static async Task<IResult> SetTagsAsync(HttpContext http, string modelId, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<LoggedModelKeyValuesRequest>(http);
        var tags = LoggedModelRules.Tags(request.Tags, "tags");
        var ct = http.RequestAborted;
        var model = await LoggedModelReader.FindAsync(db.LoggedModels.Include(m => m.Tags), modelId, ct);
        foreach (var tag in tags)
        {
            var existing = model.Tags.FirstOrDefault(t => t.Key == tag.Key);
            if (existing is null)
            {
                model.Tags.Add(new LoggedModelTag { Key = tag.Key!, Value = tag.Value! });
            }
            else
            {
                existing.Value = tag.Value!;
            }
        }

        await db.SaveChangesAsync(ct);
        return ExperimentsApi.Empty;
    }

    private static async Task<IResult> DeleteTagAsync(HttpContext http, string modelId, string tagKey, CairnDb db)
    {
        var ct = http.RequestAborted;
        var model = await LoggedModelReader.FindAsync(db.LoggedModels.AsNoTracking(), modelId, ct);
        var deleted = await db.LoggedModelTags.Where(t => t.LoggedModelId == model.Id && t.Key == tagKey).ExecuteDeleteAsync(ct);
        return deleted == 0
            ? throw MlflowException.NotFound($"No tag with key '{tagKey}' found for model with ID '{modelId}'.")
            : ExperimentsApi.Empty;
    }

    /// <summary>Params are written once: the same value again is accepted, another value is refused.</summary>
    private static async Task<IResult> LogParamsAsync(HttpContext http, string modelId, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<LoggedModelKeyValuesRequest>(http);
        var parameters = LoggedModelRules.Params(request.Params, "params");
        var ct = http.RequestAborted;
        var model = await LoggedModelReader.FindAsync(db.LoggedModels.Include(m => m.Params), modelId, ct);
        foreach (var param in parameters)
        {
            var existing = model.Params.FirstOrDefault(p => p.Key == param.Key);
            if (existing is null)
            {
                model.Params.Add(new LoggedModelParam { Key = param.Key!, Value = param.Value! });
            }
            else if (existing.Value != param.Value)
            {
                throw MlflowException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing.Value}' for model ID='{modelId}'. Attempted logging new value '{param.Value}'.");
            }
        }

        await db.SaveChangesAsync(ct);
        return ExperimentsApi.Empty;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<SearchLoggedModelsRequest>(http);
        var (models, next) = await LoggedModelSearch.RunAsync(db, request, http.RequestAborted);
        return Results.Json(new { models = models.Count == 0 ? null : models, next_page_token = next }, MlflowJson.Options);
    }

    private static async Task<IResult> ModelAsync(CairnDb db, LoggedModel model, CancellationToken cancellationToken) =>
        Results.Json(new { model = await LoggedModelReader.LoadAsync(db, model, cancellationToken) }, MlflowJson.Options);
}
