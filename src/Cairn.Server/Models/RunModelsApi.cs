using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Models.Logged;
using Cairn.Server.Tracking;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Runs;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Models;

/// <summary>
/// What <c>log_model</c> records on the run: <c>runs/log-model</c> (the MLmodel appended to the run's
/// <c>mlflow.log-model.history</c> tag; 2.x and early 3.x clients) and <c>runs/outputs</c> (the logged models a
/// run produced; 3.x clients).
/// </summary>
public static class RunModelsApi
{
    public static RouteGroupBuilder MapRunModels(this RouteGroupBuilder mlflow)
    {
        var group = mlflow.MapGroup("/runs");
        group.MapPost("/log-model", LogModelAsync);
        group.MapPost("/outputs", LogOutputsAsync);
        return group;
    }

    private static async Task<IResult> LogModelAsync(HttpContext http, CairnDb db, TimeProvider clock)
    {
        var request = await MlflowRequest.ReadAsync<LogModelRequest>(http);
        var runId = request.RequireRunId();
        var model = LogModelHistory.ParseModel(request.ModelJson);
        var ct = http.RequestAborted;

        // Read, append and write in one write transaction, so two models logged at once both stay in the list.
        await using var transaction = await db.BeginSerializedAsync($"run:{runId}", ct);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Uuid == runId, ct) ?? throw RunReader.NotFound(runId);
        RunsApi.EnsureActive(run);
        var tag = await db.RunTags.FirstOrDefaultAsync(t => t.RunId == run.Id && t.Key == LogModelHistory.Tag, ct);
        var history = LogModelHistory.Append(tag?.Value, model, clock.GetUtcNow().UtcDateTime);
        if (tag is null)
        {
            db.RunTags.Add(new RunTag { RunId = run.Id, Key = LogModelHistory.Tag, Value = history });
        }
        else
        {
            tag.Value = history;
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ExperimentsApi.Empty;
    }

    private static async Task<IResult> LogOutputsAsync(HttpContext http, CairnDb db)
    {
        var request = await MlflowRequest.ReadAsync<LogOutputsRequest>(http);
        var runId = request.RequireRunId();
        var outputs = request.Models ?? throw MlflowException.MissingParameter("models");
        for (var i = 0; i < outputs.Count; i++)
        {
            TrackingRules.Required(outputs[i].ModelId, $"models[{i}].model_id");
            TrackingRules.Required(outputs[i].Step, $"models[{i}].step");
        }

        var ct = http.RequestAborted;
        await using var transaction = await db.BeginSerializedAsync($"run:{runId}", ct);
        var run = await db.Runs.AsNoTracking().FirstOrDefaultAsync(r => r.Uuid == runId, ct) ?? throw RunReader.NotFound(runId);
        RunsApi.EnsureActive(run);
        var modelIds = await LoggedModelReader.IdsAsync(db, outputs.Select(o => o.ModelId!), ct);
        var logged = (await db.RunModelOutputs.Where(o => o.RunId == run.Id).Select(o => new { o.LoggedModelId, o.Step }).ToListAsync(ct))
            .Select(o => (o.LoggedModelId, o.Step)).ToHashSet();
        foreach (var output in outputs)
        {
            // A replayed request (the client retries) adds nothing.
            if (logged.Add((modelIds[output.ModelId!], output.Step!.Value)))
            {
                db.RunModelOutputs.Add(new RunModelOutput { RunId = run.Id, LoggedModelId = modelIds[output.ModelId!], Step = output.Step.Value });
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return ExperimentsApi.Empty;
    }

    public sealed class LogModelRequest : RunIdRequest
    {
        public string? ModelJson { get; set; }
    }

    public sealed class LogOutputsRequest : RunIdRequest
    {
        public List<ModelOutput>? Models { get; set; }
    }

    public sealed class ModelOutput
    {
        public string? ModelId { get; set; }
        public long? Step { get; set; }
    }
}
