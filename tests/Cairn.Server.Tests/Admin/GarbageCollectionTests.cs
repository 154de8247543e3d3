using System.Net;
using Cairn.Server.Tests.Artifacts;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Tests.Registry;

namespace Cairn.Server.Tests.Admin;

public sealed class LocalGarbageCollectionTests() : GarbageCollectionTests(new LocalBackend());

[Collection(MotoCollection.Name)]
public sealed class S3GarbageCollectionTests(MotoServer moto) : GarbageCollectionTests(new S3Backend(moto));

/// <summary><c>POST /api/v1/admin/gc</c> on each artifact store: what it removes, what it keeps, and what it reports.</summary>
public abstract class GarbageCollectionTests(ArtifactBackend backend)
{
    private static async Task<string> RunWithFilesAsync(MlflowClient mlflow, string name, params string[] files)
    {
        var runId = await mlflow.CreateRunAsync("0", name);
        await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("loss", 0.5, 1, 0), Points.Metric("loss", 0.4, 2, 1)], @params: [Points.Kv("lr", "0.1")]);
        var root = ((string)(await mlflow.GetRunAsync(runId))["info"]!["artifact_uri"]!)["mlflow-artifacts:/".Length..];
        foreach (var file in files)
        {
            using var put = await mlflow.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{root}/{file}", new ByteArrayContent(new byte[1000]));
            put.EnsureSuccessStatusCode();
        }

        return runId;
    }

    private static Task<MlflowResponse> GcAsync(MlflowClient mlflow, object body) => new MlflowClient(mlflow.Http, "/api/v1/admin").PostAsync("gc", body);

    [Fact]
    public async Task Deleted_runs_lose_their_files_and_rows_while_live_and_registered_runs_stay()
    {
        await using var app = new CairnApp(backend.Settings);
        var mlflow = app.Mlflow();
        var doomed = await RunWithFilesAsync(mlflow, "doomed", "model/model.pkl", "plots/loss.png");
        var registered = await RunWithFilesAsync(mlflow, "registered", "model/model.pkl");
        var live = await RunWithFilesAsync(mlflow, "live", "model/model.pkl");
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m", registered);
        await mlflow.OkAsync("runs/delete", new { run_id = doomed });
        await mlflow.OkAsync("runs/delete", new { run_id = registered });

        var report = (await GcAsync(mlflow, new { })).Ok();

        Assert.Equal(2, report["runs"]!.AsArray().Count);
        Assert.Equal(2, (long)report["freed_files"]!);
        Assert.Equal(2000, (long)report["freed_bytes"]!);
        Assert.Contains("m v1", (string)report["runs"]!.AsArray().Single(r => (string)r!["run_id"]! == registered)!["kept_because"]!);
        (await mlflow.GetAsync("runs/get", ("run_id", doomed))).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        Assert.Empty(await backend.FilesAsync(app, $"0/{doomed}"));
        Assert.Equal([$"0/{registered}/artifacts/model/model.pkl"], await backend.FilesAsync(app, $"0/{registered}"));
        Assert.Equal("0.4", ((double)(await mlflow.GetRunAsync(live))["data"]!["metrics"]![0]!["value"]!).ToString(System.Globalization.CultureInfo.InvariantCulture));
        var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", doomed), ("metric_key", "loss")));
        Assert.Null(history.Ok()["metrics"]);
    }

    [Fact]
    public async Task A_dry_run_or_a_run_deleted_too_recently_changes_nothing()
    {
        await using var app = new CairnApp(backend.Settings);
        var mlflow = app.Mlflow();
        var runId = await RunWithFilesAsync(mlflow, "recent", "a.txt");
        await mlflow.OkAsync("runs/delete", new { run_id = runId });

        var dry = (await GcAsync(mlflow, new { dry_run = true })).Ok();
        var recent = (await GcAsync(mlflow, new { older_than_seconds = 86_400 })).Ok();

        Assert.True((bool)dry["dry_run"]!);
        Assert.Equal(1000, (long)dry["freed_bytes"]!);
        Assert.Null(recent["runs"]?.AsArray().FirstOrDefault());
        Assert.Equal("deleted", (string)(await mlflow.GetRunAsync(runId))["info"]!["lifecycle_stage"]!);
        Assert.Equal([$"0/{runId}/artifacts/a.txt"], await backend.FilesAsync(app, $"0/{runId}"));
    }

    [Fact]
    public async Task A_negative_retention_is_invalid_parameter_value()
    {
        await using var app = new CairnApp(backend.Settings);

        var response = await GcAsync(app.Mlflow(), new { older_than_seconds = -1 });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "older_than_seconds");
    }
}
