using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Search;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Runs;

/// <summary>MLflow's run lifecycle endpoints: create, get, update, delete, restore, search (research/mlflow-api.md §5.2).</summary>
public static class RunsApi
{
    public static RouteGroupBuilder MapRuns(this RouteGroupBuilder mlflow)
    {
        var group = mlflow.MapGroup("/runs");
        group.MapPost("/create", CreateAsync);
        group.MapGet("/get", GetAsync);
        group.MapPost("/update", UpdateAsync);
        group.MapPost("/delete", DeleteAsync);
        group.MapPost("/restore", RestoreAsync);
        group.MapPost("/search", SearchAsync);
        group.MapRunData();
        return group;
    }

    private static async Task<IResult> CreateAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<CreateRunRequest>(http);
        var ct = http.RequestAborted;
        TrackingRules.Timestamp(request.StartTime, "start_time");
        var tags = RunDataApi.ValidTags(request.Tags, "tags");
        var nameTag = tags.FirstOrDefault(t => t.Key == RunNames.Tag)?.Value;
        if (!string.IsNullOrEmpty(request.RunName) && nameTag is not null && nameTag != request.RunName)
        {
            throw MlflowException.InvalidParameter(
                $"Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='{request.RunName}', mlflow.runName='{nameTag}').");
        }

        var experiment = await ExperimentsApi.GetActiveAsync(db, string.IsNullOrEmpty(request.ExperimentId) ? "0" : request.ExperimentId, ct);

        var uuid = Guid.NewGuid().ToString("N");
        var name = !string.IsNullOrEmpty(request.RunName) ? request.RunName : nameTag ?? RunNames.Random();
        TrackingRules.Length(name, "run_name", TrackingRules.MaxTagValueLength);
        var run = new Run
        {
            Uuid = uuid,
            ExperimentId = experiment.Id,
            Name = name,
            UserId = request.UserId ?? "",
            StartTime = request.StartTime ?? clock.GetUtcNow().ToUnixTimeMilliseconds(),
            ArtifactUri = $"{experiment.ArtifactLocation.TrimEnd('/')}/{uuid}/artifacts",
            Tags = [.. tags.Where(t => t.Key != RunNames.Tag).Select(t => new RunTag { Key = t.Key!, Value = t.Value ?? "" })],
        };
        run.Tags.Add(new RunTag { Key = RunNames.Tag, Value = name });
        db.Runs.Add(run);
        await db.SaveChangesAsync(ct);
        return Results.Json(new { run = (await RunReader.LoadAsync(db, [run], ct))[0] with { Inputs = null } }, MlflowJson.Options);
    }

    private static async Task<IResult> GetAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<RunIdRequest>(http);
        var run = await RunReader.GetAsync(db, request.RequireRunId(), http.RequestAborted);
        return Results.Json(new { run }, MlflowJson.Options);
    }

    private static async Task<IResult> UpdateAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<UpdateRunRequest>(http);
        var runId = TrackingRules.RunId(string.IsNullOrEmpty(request.RunId) ? request.RunUuid : request.RunId);
        TrackingRules.Timestamp(request.EndTime, "end_time");
        TrackingRules.Length(request.RunName, "run_name", TrackingRules.MaxTagValueLength);
        var ct = http.RequestAborted;
        var run = await db.Runs.Include(r => r.Tags).FirstOrDefaultAsync(r => r.Uuid == runId, ct) ?? throw RunReader.NotFound(runId);
        EnsureActive(run);
        if (request.Status is { } status)
        {
            run.Status = status.ToString().ToUpperInvariant();
        }

        if (request.EndTime is { } endTime)
        {
            run.EndTime = endTime;
        }

        if (!string.IsNullOrEmpty(request.RunName))
        {
            run.Name = request.RunName;
            var tag = run.Tags.FirstOrDefault(t => t.Key == RunNames.Tag);
            if (tag is null)
            {
                run.Tags.Add(new RunTag { Key = RunNames.Tag, Value = request.RunName });
            }
            else
            {
                tag.Value = request.RunName;
            }
        }

        await db.SaveChangesAsync(ct);
        return Results.Json(new { run_info = RunReader.Info(run) }, MlflowJson.Options);
    }

    private static async Task<IResult> DeleteAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<RunIdRequest>(http);
        var runId = request.RequireRunId();
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var changed = await db.Runs.Where(r => r.Uuid == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LifecycleStage, Lifecycle.Deleted).SetProperty(r => r.DeletedTime, now), http.RequestAborted);
        return changed == 0 ? throw RunReader.NotFound(runId) : ExperimentsApi.Empty;
    }

    private static async Task<IResult> RestoreAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<RunIdRequest>(http);
        var runId = request.RequireRunId();
        var changed = await db.Runs.Where(r => r.Uuid == runId)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.LifecycleStage, Lifecycle.Active).SetProperty(r => r.DeletedTime, (long?)null), http.RequestAborted);
        return changed == 0 ? throw RunReader.NotFound(runId) : ExperimentsApi.Empty;
    }

    private static async Task<IResult> SearchAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<SearchRunsRequest>(http);
        var (runs, next) = await RunSearch.RunAsync(db, request, http.RequestAborted);
        return Results.Json(new { runs = runs.Count == 0 ? null : runs, next_page_token = next }, MlflowJson.Options);
    }

    public static void EnsureActive(Run run)
    {
        if (run.LifecycleStage != Lifecycle.Active)
        {
            throw MlflowException.InvalidParameter($"The run {run.Uuid} must be in the 'active' state. Current state is {run.LifecycleStage}.");
        }
    }
}
