using System.Net;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;
using Cairn.Server.Tests.Registry;

namespace Cairn.Server.Tests.Lineage;

public sealed class LineageTests
{
    private static object Input(string name, string digest, string context) => new
    {
        tags = new[] { Points.Kv("mlflow.data.context", context) },
        dataset = new { name, digest, source_type = "local", source = "{\"uri\": \"data.parquet\"}" },
    };

    /// <summary>An experiment whose run trained on one dataset, was evaluated on another, and was registered as fraud v1.</summary>
    private static async Task<(MlflowClient Mlflow, MlflowClient Lineage, string ExperimentId, string RunId)> SeedAsync(CairnApp app)
    {
        var mlflow = app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("fraud-training");
        var runId = await mlflow.CreateRunAsync(experimentId, "trainer");
        await mlflow.OkAsync("runs/log-inputs", new { run_id = runId, datasets = new[] { Input("cards", "d1a1", "training"), Input("cards-holdout", "e2b2", "evaluation") } });
        await mlflow.CreateModelAsync("fraud");
        await mlflow.CreateVersionAsync("fraud", runId);
        return (mlflow, new MlflowClient(app.CreateClient(), "/api/v1/lineage"), experimentId, runId);
    }

    private static string[] Keys(JsonNode graph, string side) => [.. graph[side]!.AsArray().Select(n => $"{n!["kind"]}:{n["id"]}").Order()];

    private static string[] Edges(JsonNode graph) => [.. graph["edges"]!.AsArray().Select(e => $"{e!["from"]} -{e["relation"]}-> {e["to"]}").Order()];

    [Fact]
    public async Task A_model_version_traces_back_to_its_run_datasets_and_experiment()
    {
        await using var app = new CairnApp();
        var (_, lineage, experimentId, runId) = await SeedAsync(app);

        var graph = (await lineage.GetAsync("model_version/fraud/1")).Ok();

        Assert.Equal("fraud v1", (string)graph["root"]!["label"]!);
        Assert.Equal([$"dataset:d1a1", "dataset:e2b2", $"experiment:{experimentId}", $"run:{runId}"], Keys(graph, "upstream"));
        Assert.Empty(graph["downstream"]!.AsArray());
        Assert.Contains($"run:{runId} -registered_as-> model_version:fraud/1", Edges(graph));
        Assert.Contains($"dataset:d1a1 -input:training-> run:{runId}", Edges(graph));
        Assert.Contains($"dataset:e2b2 -input:evaluation-> run:{runId}", Edges(graph));
        Assert.Contains($"experiment:{experimentId} -contains-> run:{runId}", Edges(graph));
        Assert.False((bool)graph["truncated"]!);
    }

    [Fact]
    public async Task A_dataset_leads_forward_to_the_runs_that_used_it_and_the_models_made_from_them()
    {
        await using var app = new CairnApp();
        var (mlflow, lineage, experimentId, runId) = await SeedAsync(app);
        await mlflow.CreateRunAsync(experimentId, "unrelated");

        var graph = (await lineage.GetAsync("dataset/d1a1")).Ok();

        Assert.Equal(["model_version:fraud/1", $"run:{runId}"], Keys(graph, "downstream"));
        Assert.Equal([$"experiment:{experimentId}"], Keys(graph, "upstream"));
    }

    [Fact]
    public async Task A_run_shows_both_directions()
    {
        await using var app = new CairnApp();
        var (_, lineage, experimentId, runId) = await SeedAsync(app);

        var graph = (await lineage.GetAsync($"run/{runId}")).Ok();

        Assert.Equal(["dataset:d1a1", "dataset:e2b2", $"experiment:{experimentId}"], Keys(graph, "upstream"));
        Assert.Equal(["model_version:fraud/1"], Keys(graph, "downstream"));
    }

    [Theory]
    [InlineData("pipeline/x", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "lineage kind")]
    [InlineData("model_version/fraud", HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "NAME/VERSION")]
    [InlineData("model_version/fraud/9", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "fraud/9")]
    [InlineData("run/0123456789abcdef", HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST", "0123456789abcdef")]
    public async Task Unknown_kinds_and_ids_get_clear_errors(string path, HttpStatusCode status, string code, string mentions)
    {
        await using var app = new CairnApp();
        var (_, lineage, _, _) = await SeedAsync(app);

        var response = await lineage.GetAsync(path);

        response.IsError(status, code, mentions);
    }
}
