using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

/// <summary>
/// What <c>mlflow.sklearn.log_model(model, ..., registered_model_name="iris")</c> sends, request by request, up to
/// (not including) the registry calls: the 3.x sequence through logged models, the 2.x one through run artifacts.
/// </summary>
public sealed class LogModelSequencesTests
{
    private static readonly Dictionary<string, string> ModelFiles = new()
    {
        ["MLmodel"] = "artifact_path: model\nflavors:\n  sklearn:\n    pickled_model: model.pkl\n",
        ["model.pkl"] = "\u0080\u0004pickle",
        ["conda.yaml"] = "channels:\n- conda-forge\n",
        ["python_env.yaml"] = "python: 3.12.1\n",
        ["requirements.txt"] = "mlflow==3.18.0\nscikit-learn==1.5.2\n",
    };

    private static object Flavors => new
    {
        python_function = new { model_path = "model.pkl", predict_fn = "predict", loader_module = "mlflow.sklearn", python_version = "3.12.1", env = new { conda = "conda.yaml", virtualenv = "python_env.yaml" } },
        sklearn = new { pickled_model = "model.pkl", sklearn_version = "1.5.2", serialization_format = "cloudpickle", code = (string?)null },
    };

    private static async Task PutFilesAsync(MlflowClient mlflow, string artifactUri)
    {
        var root = artifactUri["mlflow-artifacts:/".Length..];
        foreach (var (name, content) in ModelFiles)
        {
            using var body = new StringContent(content, Encoding.UTF8, name.EndsWith(".txt", StringComparison.Ordinal) ? "text/plain" : "application/octet-stream");
            (await mlflow.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{root}/{name}", body)).EnsureSuccessStatusCode();
        }
    }

    [Fact]
    public async Task Mlflow_3_log_model_creates_uploads_links_records_finalizes_and_reads_the_model()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("iris");
        var runId = await mlflow.CreateRunAsync(experimentId, "train", tags: [Points.Kv("mlflow.user", "analyst-1")]);
        await mlflow.LogBatchAsync(runId, metrics: [Points.Metric("accuracy", 0.96, 1767225600000)], @params: [Points.Kv("n_estimators", "10")]);

        // 1. The model, with the run's params and the client's context tags.
        var run = await mlflow.GetRunAsync(runId);
        var created = (await mlflow.OkAsync("logged-models", new
        {
            experiment_id = experimentId,
            name = "model",
            source_run_id = runId,
            @params = run["data"]!["params"],
            tags = new[] { Points.Kv("mlflow.user", "analyst-1"), Points.Kv("mlflow.source.name", "train.py"), Points.Kv("mlflow.source.type", "LOCAL") },
        }))["model"]!;
        var modelId = (string)created["info"]!["model_id"]!;
        var artifactUri = (string)created["info"]!["artifact_uri"]!;

        // 2. The files, through the artifact proxy, under the model's own location.
        await PutFilesAsync(mlflow, (string)(await LoggedModelRequests.GetAsync(mlflow, modelId))["info"]!["artifact_uri"]!);

        // 3. The run's output, and the run's metrics at that step re-logged for the model.
        (await mlflow.PostAsync("runs/outputs", new { run_id = runId, models = new[] { new { model_id = modelId, step = 0 } } })).Ok();
        var history = (await mlflow.GetAsync("metrics/get-history", ("run_id", runId), ("metric_key", "accuracy"))).Ok()["metrics"]!.AsArray();
        await mlflow.LogBatchAsync(runId, metrics: [.. history.Select(p => (object)new
        {
            key = (string)p!["key"]!, value = (double)p["value"]!, timestamp = (long)p["timestamp"]!, step = (long)p["step"]!, model_id = modelId, run_id = runId,
        })]);

        // 4. The run's model history (3.x sends the model's location as artifact_path), then READY.
        var modelJson = JsonSerializer.Serialize(new
        {
            artifact_path = artifactUri, flavors = Flavors, model_uuid = modelId, run_id = runId, utc_time_created = "2026-11-27 10:00:00.000001",
            mlflow_version = "3.18.0", model_size_bytes = 1024, model_id = modelId,
        });
        (await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = modelJson })).Ok();
        var finalized = (await LoggedModelRequests.FinalizeAsync(mlflow, modelId, "LOGGED_MODEL_READY")).Ok()["model"]!;

        // 5. get_model_info reads the model back.
        var model = await LoggedModelRequests.GetAsync(mlflow, modelId);
        Assert.Equal(finalized.ToJsonString(), model.ToJsonString());
        Assert.Equal("LOGGED_MODEL_READY", (string)model["info"]!["status"]!);
        Assert.Equal($"mlflow-artifacts:/{experimentId}/models/{modelId}/artifacts", artifactUri);
        Assert.Equal("10", LoggedModelRequests.KeyValues(model["data"]!["params"])["n_estimators"]);
        var metric = Assert.Single(model["data"]!["metrics"]!.AsArray())!;
        Assert.Equal((0.96, runId), ((double)metric["value"]!, (string)metric["run_id"]!));
        var files = (await mlflow.GetAsync($"logged-models/{modelId}/artifacts/directories")).Ok()["files"]!.AsArray();
        Assert.Equal(ModelFiles.Keys.Order(StringComparer.Ordinal), files.Select(f => (string)f!["path"]!));

        var after = await mlflow.GetRunAsync(runId);
        Assert.Equal($$"""[{"model_id":"{{modelId}}","step":0}]""", after["outputs"]!["model_outputs"]!.ToJsonString());
        var entry = JsonNode.Parse(LoggedModelRequests.KeyValues(after["data"]!["tags"])["mlflow.log-model.history"])!.AsArray().Single()!;
        Assert.Equal((artifactUri, modelId), ((string)entry["artifact_path"]!, (string)entry["model_uuid"]!));
        Assert.Single(after["data"]!["metrics"]!.AsArray());

        // 6. registered_model_name: the version points at the logged model's files and its run.
        await mlflow.OkAsync("registered-models/create", new { name = "iris-clf" });
        var version = (await mlflow.OkAsync("model-versions/create", new { name = "iris-clf", source = $"models:/{modelId}", model_id = modelId }))["model_version"]!;
        var download = (await mlflow.GetAsync("model-versions/get-download-uri", ("name", "iris-clf"), ("version", "1"))).Ok();
        Assert.Equal(("READY", runId, modelId), ((string)version["status"]!, (string)version["run_id"]!, (string)version["model_id"]!));
        Assert.Equal(artifactUri, (string)download["artifact_uri"]!);

        // The logged model lists the registry versions made from it; a deleted version drops out.
        await mlflow.OkAsync("model-versions/create", new { name = "iris-clf", source = $"models:/{modelId}", model_id = modelId });
        (await mlflow.SendAsync(HttpMethod.Delete, "model-versions/delete", new { name = "iris-clf", version = "1" })).Ok();
        var registrations = (await mlflow.GetAsync($"logged-models/{modelId}")).Ok()["model"]!["info"]!["registrations"]!.AsArray();
        Assert.Equal(["iris-clf/2"], registrations.Select(r => $"{r!["name"]}/{r["version"]}"));
    }

    [Fact]
    public async Task Mlflow_2_log_model_uploads_under_the_run_and_records_the_history_tag()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("iris");
        var runId = await mlflow.CreateRunAsync(experimentId, "train");

        // 1. runs/get for the artifact root, then every file of the saved model under <root>/model.
        var artifactUri = (string)(await mlflow.GetRunAsync(runId))["info"]!["artifact_uri"]!;
        await PutFilesAsync(mlflow, $"{artifactUri}/model");

        // 2. The whole MLmodel as JSON (2.x clients send every field, signature included).
        var modelJson = JsonSerializer.Serialize(new
        {
            run_id = runId, artifact_path = "model", utc_time_created = "2026-11-27 10:00:00.000002", flavors = Flavors,
            model_uuid = "6f3c2d1e0b9a48d7a6c5b4e3f2a1d0c9", mlflow_version = "2.22.0", model_size_bytes = 1024,
            signature = new { inputs = "[{\"type\": \"double\", \"name\": \"sepal length (cm)\", \"required\": true}]", outputs = "[{\"type\": \"long\", \"required\": true}]", @params = (string?)null },
            saved_input_example_info = new { artifact_path = "input_example.json", type = "dataframe", pandas_orient = "split" },
        });
        (await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = modelJson })).Ok();

        // 3. The run now shows the model, and its files are where registration will look for them.
        var tags = LoggedModelRequests.KeyValues((await mlflow.GetRunAsync(runId))["data"]!["tags"]);
        Assert.Equal(
            """[{"run_id": "RUN_ID", "artifact_path": "model", "utc_time_created": "2026-11-27 10:00:00.000002", "model_uuid": "6f3c2d1e0b9a48d7a6c5b4e3f2a1d0c9", "flavors": {"python_function": {"model_path": "model.pkl", "predict_fn": "predict", "loader_module": "mlflow.sklearn", "python_version": "3.12.1", "env": {"conda": "conda.yaml", "virtualenv": "python_env.yaml"}}, "sklearn": {"pickled_model": "model.pkl", "sklearn_version": "1.5.2", "serialization_format": "cloudpickle", "code": null}}}]""".Replace("RUN_ID", runId, StringComparison.Ordinal),
            tags["mlflow.log-model.history"]);
        var listed = (await mlflow.GetAsync("artifacts/list", ("run_id", runId), ("path", "model"))).Ok()["files"]!.AsArray();
        Assert.Equal(ModelFiles.Keys.Select(f => $"model/{f}").Order(StringComparer.Ordinal), listed.Select(f => (string)f!["path"]!));

        // 4. registered_model_name: create (ALREADY_EXISTS is fine for the client), then the version from the run's model.
        await mlflow.OkAsync("registered-models/create", new { name = "iris-clf" });
        (await mlflow.PostAsync("registered-models/create", new { name = "iris-clf" })).IsError(System.Net.HttpStatusCode.BadRequest, "RESOURCE_ALREADY_EXISTS");
        var version = (await mlflow.OkAsync("model-versions/create", new { name = "iris-clf", source = $"runs:/{runId}/model", run_id = runId }))["model_version"]!;
        var download = (await mlflow.GetAsync("model-versions/get-download-uri", ("name", "iris-clf"), ("version", "1"))).Ok();
        Assert.Equal(("1", "READY"), ((string)version["version"]!, (string)version["status"]!));
        Assert.Equal($"runs:/{runId}/model", (string)download["artifact_uri"]!);
    }
}
