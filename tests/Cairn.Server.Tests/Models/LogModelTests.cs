using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

/// <summary>runs/log-model: the MLmodel, reduced as MLflow's stores reduce it, appended to the run's <c>mlflow.log-model.history</c> tag.</summary>
public sealed class LogModelTests
{
    private const string History = "mlflow.log-model.history";

    private static string ModelJson(string runId, string artifactPath, object? flavors = null) => JsonSerializer.Serialize(new
    {
        run_id = runId,
        artifact_path = artifactPath,
        utc_time_created = "2026-11-27 10:00:00.123456",
        flavors = flavors ?? new
        {
            python_function = new { loader_module = "mlflow.sklearn", model_path = "model.pkl", env = new { conda = "conda.yaml" }, python_version = "3.12.1" },
            sklearn = new { pickled_model = "model.pkl", sklearn_version = "1.5.2", serialization_format = "cloudpickle", code = (string?)null },
        },
        model_uuid = "5b1ed6d0c1f94a7a8a4fcbf3c5a0f0aa",
        mlflow_version = "2.22.0",
        signature = new { inputs = "[{\"type\": \"tensor\"}]", outputs = "[{\"type\": \"tensor\"}]" },
        model_size_bytes = 1234,
    });

    private static async Task<string?> HistoryOfAsync(MlflowClient mlflow, string runId) =>
        LoggedModelRequests.KeyValues((await mlflow.GetRunAsync(runId))["data"]!["tags"]).GetValueOrDefault(History);

    [Fact]
    public async Task The_first_model_starts_the_history_as_mlflow_writes_it()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        (await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = ModelJson(runId, "model") })).Ok();

        // get_tags_dict(): run_id, artifact_path, utc_time_created, model_uuid, then the flavors; json.dumps separators.
        Assert.Equal(
            """[{"run_id": "RUN_ID", "artifact_path": "model", "utc_time_created": "2026-11-27 10:00:00.123456", "model_uuid": "5b1ed6d0c1f94a7a8a4fcbf3c5a0f0aa", "flavors": {"python_function": {"loader_module": "mlflow.sklearn", "model_path": "model.pkl", "env": {"conda": "conda.yaml"}, "python_version": "3.12.1"}, "sklearn": {"pickled_model": "model.pkl", "sklearn_version": "1.5.2", "serialization_format": "cloudpickle", "code": null}}}]""".Replace("RUN_ID", runId, StringComparison.Ordinal),
            await HistoryOfAsync(mlflow, runId));
    }

    [Fact]
    public async Task Later_models_are_appended_with_flavor_config_left_out_and_non_ascii_escaped()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        (await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = ModelJson(runId, "first") })).Ok();
        (await mlflow.PostAsync("runs/log-model", new
        {
            run_id = runId,
            model_json = ModelJson(runId, "modèle", new { transformers = new { config = new { big = true }, task = "text" } }),
        })).Ok();

        var history = JsonNode.Parse((await HistoryOfAsync(mlflow, runId))!)!.AsArray();
        Assert.Equal(["first", "modèle"], history.Select(e => (string)e!["artifact_path"]!));
        Assert.Equal("""{"task":"text"}""", history[1]!["flavors"]!["transformers"]!.ToJsonString());
        Assert.Contains("\"mod\\u00e8le\"", await HistoryOfAsync(mlflow, runId), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"artifact_path\": \"m\", \"flavors\": {}}", "Model json is missing mandatory fields: {'utc_time_created', 'run_id'}")]
    [InlineData("{not json", "is not a valid JSON")]
    [InlineData("[1, 2]", "is not a JSON object")]
    [InlineData("{\"artifact_path\": \"m\", \"flavors\": [], \"utc_time_created\": \"t\", \"run_id\": \"r\"}", "flavors")]
    public async Task A_model_json_mlflow_would_refuse_is_invalid_parameter_value(string modelJson, string mentions)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var response = await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = modelJson });

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
        Assert.Null(await HistoryOfAsync(mlflow, runId));
    }

    [Fact]
    public async Task Run_id_and_model_json_are_required_and_the_run_must_exist_and_be_active()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        const string unknown = "0123456789abcdef0123456789abcdef";

        (await mlflow.PostAsync("runs/log-model", new { model_json = ModelJson(runId, "m") })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "run_id");
        (await mlflow.PostAsync("runs/log-model", new { run_id = runId })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "model_json");
        (await mlflow.PostAsync("runs/log-model", new { run_id = unknown, model_json = ModelJson(unknown, "m") })).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", unknown);
        await mlflow.OkAsync("runs/delete", new { run_id = runId });
        (await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = ModelJson(runId, "m") })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'active' state");
    }

    [Fact]
    public async Task A_history_past_the_run_tag_limit_is_refused_and_the_logged_models_stay()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");
        var flavors = new { python_function = new { notes = new string('x', 3000) } };

        (await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = ModelJson(runId, "a", flavors) })).Ok();
        (await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = ModelJson(runId, "b", flavors) })).Ok();
        var third = await mlflow.PostAsync("runs/log-model", new { run_id = runId, model_json = ModelJson(runId, "c", flavors) });

        third.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "8000");
        var history = await HistoryOfAsync(mlflow, runId);
        Assert.InRange(history!.Length, 6000, 8000);
        Assert.Equal(["a", "b"], JsonNode.Parse(history)!.AsArray().Select(e => (string)e!["artifact_path"]!));
    }
}
