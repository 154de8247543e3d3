using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

/// <summary>Registry calls the tests repeat, spoken as the MLflow client speaks them.</summary>
public static class Registry
{
    public static Task<JsonNode> CreateModelAsync(this MlflowClient mlflow, string name, object[]? tags = null, string? description = null) =>
        mlflow.OkAsync("registered-models/create", new { name, tags = tags ?? [], description });

    /// <summary>A run with files under <c>model/</c>, registered from <c>runs:/&lt;run&gt;/model</c>; returns the version's JSON.</summary>
    public static async Task<JsonNode> CreateVersionAsync(this MlflowClient mlflow, string name, string? runId = null, object[]? tags = null)
    {
        runId ??= await mlflow.CreateRunAsync("0");
        var body = await mlflow.OkAsync("model-versions/create", new { name, source = $"runs:/{runId}/model", run_id = runId, tags = tags ?? [] });
        return body["model_version"]!;
    }

    public static Task<JsonNode> SetAliasAsync(this MlflowClient mlflow, string name, string alias, int version) =>
        mlflow.OkAsync("registered-models/alias", new { name, alias, version = version.ToString(System.Globalization.CultureInfo.InvariantCulture) });

    public static async Task<JsonNode> GetModelAsync(this MlflowClient mlflow, string name) =>
        (await mlflow.GetAsync("registered-models/get", ("name", name))).Ok()["registered_model"]!;

    public static async Task<JsonNode> GetVersionAsync(this MlflowClient mlflow, string name, int version) =>
        (await mlflow.GetAsync("model-versions/get", ("name", name), ("version", version.ToString(System.Globalization.CultureInfo.InvariantCulture)))).Ok()["model_version"]!;

    public static async Task<JsonArray> EventsAsync(this MlflowClient mlflow, params (string Key, string Value)[] query) =>
        (await new MlflowClient(mlflow.Http, "/api/v1/registry").GetAsync("events", query)).Ok()["events"]?.AsArray() ?? [];
}
