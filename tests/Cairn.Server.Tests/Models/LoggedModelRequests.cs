using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

/// <summary>The logged-model requests these tests repeat, shaped as MLflow's REST store sends them.</summary>
internal static class LoggedModelRequests
{
    public static async Task<JsonNode> CreateAsync(
        MlflowClient mlflow, string experimentId, string? name = null, object[]? @params = null, object[]? tags = null, string? sourceRunId = null, string? modelType = null)
    {
        var body = await mlflow.OkAsync("logged-models", new
        {
            experiment_id = experimentId,
            name,
            model_type = modelType,
            source_run_id = sourceRunId,
            @params = @params ?? [],
            tags = tags ?? [],
        });
        return body["model"]!;
    }

    public static async Task<string> CreateIdAsync(MlflowClient mlflow, string experimentId, string? name = null) =>
        (string)(await CreateAsync(mlflow, experimentId, name))["info"]!["model_id"]!;

    public static async Task<JsonNode> GetAsync(MlflowClient mlflow, string modelId) =>
        (await mlflow.GetAsync($"logged-models/{modelId}")).Ok()["model"]!;

    public static Task<MlflowResponse> FinalizeAsync(MlflowClient mlflow, string modelId, object status) =>
        mlflow.SendAsync(HttpMethod.Patch, $"logged-models/{modelId}", new { model_id = modelId, status });

    public static Dictionary<string, string> KeyValues(JsonNode? list) =>
        list?.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!) ?? [];
}
