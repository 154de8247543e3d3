using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

/// <summary>logged-models/search: the §9.5 grammar, datasets, order_by objects and paging.</summary>
public sealed class LoggedModelSearchTests : IAsyncLifetime
{
    private readonly CairnApp _app = new();
    private MlflowClient _mlflow = null!;
    private string _experimentId = "";

    /// <summary>Three models: rf (ready, accuracy 0.7 then 0.95 on test), xgb (accuracy 0.8 on train), lr (no metrics), oldest first.</summary>
    public async Task InitializeAsync()
    {
        _mlflow = _app.Mlflow();
        _experimentId = await _mlflow.CreateExperimentAsync("search");
        var runId = await _mlflow.CreateRunAsync(_experimentId);
        var rf = (string)(await LoggedModelRequests.CreateAsync(_mlflow, _experimentId, "rf", [Points.Kv("depth", "8")], [Points.Kv("team", "a")], modelType: "Classifier"))["info"]!["model_id"]!;
        await Task.Delay(5); // creation times are milliseconds: keep the three apart
        var xgb = (string)(await LoggedModelRequests.CreateAsync(_mlflow, _experimentId, "xgb", [Points.Kv("depth", "4")], [Points.Kv("team", "b")]))["info"]!["model_id"]!;
        await Task.Delay(5);
        await LoggedModelRequests.CreateAsync(_mlflow, _experimentId, "lr");
        (await LoggedModelRequests.FinalizeAsync(_mlflow, rf, "LOGGED_MODEL_READY")).Ok();
        await _mlflow.LogBatchAsync(runId, metrics:
        [
            new { key = "accuracy", value = 0.7, timestamp = 100, step = 0, model_id = rf, dataset_name = "test", dataset_digest = "t1" },
            new { key = "accuracy", value = 0.95, timestamp = 200, step = 1, model_id = rf, dataset_name = "test", dataset_digest = "t1" },
            new { key = "accuracy", value = 0.8, timestamp = 100, step = 0, model_id = xgb, dataset_name = "train", dataset_digest = "t2" },
        ]);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private async Task<List<string>> NamesAsync(object body)
    {
        var models = (await _mlflow.OkAsync("logged-models/search", body))["models"];
        return models is null ? [] : [.. models.AsArray().Select(m => (string)m!["info"]!["name"]!)];
    }

    private object Search(string? filter = null, object[]? orderBy = null, object[]? datasets = null) =>
        new { experiment_ids = new[] { _experimentId }, filter, order_by = orderBy, datasets };

    [Fact]
    public async Task Without_a_filter_models_come_newest_first() =>
        Assert.Equal(["lr", "xgb", "rf"], await NamesAsync(Search()));

    [Theory]
    [InlineData("name = 'rf'", new[] { "rf" })]
    [InlineData("name LIKE '%r%'", new[] { "lr", "rf" })]
    [InlineData("attributes.name IN ('rf', 'lr')", new[] { "lr", "rf" })]
    [InlineData("status = 'LOGGED_MODEL_READY'", new[] { "rf" })]
    [InlineData("status != 'READY'", new[] { "lr", "xgb" })]
    [InlineData("model_type = 'Classifier'", new[] { "rf" })]
    [InlineData("creation_timestamp > 0 AND params.depth = '4'", new[] { "xgb" })]
    [InlineData("tags.team IN ('a', 'b') AND tags.team != 'a'", new[] { "xgb" })]
    [InlineData("metrics.accuracy > 0.9", new[] { "rf" })]
    [InlineData("metrics.accuracy >= 0.7 AND metrics.accuracy < 0.75", new[] { "rf" })]
    [InlineData("metrics.`accuracy` <= 0.8", new[] { "xgb", "rf" })]
    public async Task The_filter_grammar_selects_models(string filter, string[] expected) =>
        Assert.Equal(expected, await NamesAsync(Search(filter)));

    [Fact]
    public async Task Datasets_restrict_metric_clauses_and_alone_select_models_measured_on_them()
    {
        Assert.Equal(["xgb"], await NamesAsync(Search("metrics.accuracy > 0.5", datasets: [new { dataset_name = "train" }])));
        Assert.Equal(["rf"], await NamesAsync(Search(datasets: [new { dataset_name = "test", dataset_digest = "t1" }])));
        Assert.Empty(await NamesAsync(Search(datasets: [new { dataset_name = "test", dataset_digest = "other" }])));
    }

    [Fact]
    public async Task Order_by_takes_attributes_and_the_latest_metric_with_missing_values_last()
    {
        Assert.Equal(["lr", "rf", "xgb"], await NamesAsync(Search(orderBy: [new { field_name = "name" }])));
        Assert.Equal(["rf", "xgb", "lr"], await NamesAsync(Search(orderBy: [new { field_name = "creation_time", ascending = true }])));
        Assert.Equal(["rf", "xgb", "lr"], await NamesAsync(Search(orderBy: [new { field_name = "metrics.accuracy", ascending = false }])));
        Assert.Equal(["xgb", "rf", "lr"], await NamesAsync(Search(orderBy: [new { field_name = "metrics.accuracy", ascending = true }])));
        Assert.Equal(["xgb", "lr", "rf"], await NamesAsync(Search(orderBy: [new { field_name = "metrics.accuracy", dataset_name = "train" }])));
    }

    [Fact]
    public async Task Pages_follow_the_token_and_deleted_models_are_left_out()
    {
        var lr = (string)(await _mlflow.OkAsync("logged-models/search", Search("name = 'lr'")))["models"]![0]!["info"]!["model_id"]!;
        (await _mlflow.SendAsync(HttpMethod.Delete, $"logged-models/{lr}")).Ok();

        var first = await _mlflow.OkAsync("logged-models/search", new { experiment_ids = new[] { _experimentId }, max_results = 1 });
        var token = (string)first["next_page_token"]!;
        var second = await _mlflow.OkAsync("logged-models/search", new { experiment_ids = new[] { _experimentId }, max_results = 1, page_token = token });

        Assert.Equal(["xgb", "rf"], new[] { first, second }.Select(p => (string)p["models"]![0]!["info"]!["name"]!));
    }

    [Theory]
    [InlineData("metrics.accuracy LIKE '0.9'")]
    [InlineData("params.depth > 3")]
    [InlineData("name = 'rf' OR name = 'lr'")]
    [InlineData("datasets.name = 'test'")]
    [InlineData("flavor = 'sklearn'")]
    public async Task A_filter_outside_the_grammar_is_invalid_parameter_value(string filter) =>
        (await _mlflow.PostAsync("logged-models/search", Search(filter))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");

    [Fact]
    public async Task Bad_requests_name_what_is_wrong()
    {
        (await _mlflow.PostAsync("logged-models/search", new { filter = "name = 'rf'" })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "experiment_ids");
        (await _mlflow.PostAsync("logged-models/search", Search(datasets: [new { dataset_digest = "t1" }]))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "dataset_name");
        (await _mlflow.PostAsync("logged-models/search", Search(orderBy: [new { ascending = true }]))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "field_name");
        (await _mlflow.PostAsync("logged-models/search", Search(orderBy: [new { field_name = "params.depth" }]))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "Only metrics");
        (await _mlflow.PostAsync("logged-models/search", Search(orderBy: [new { field_name = "flavor" }]))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "flavor");
        (await _mlflow.PostAsync("logged-models/search", new { experiment_ids = new[] { _experimentId }, page_token = "bogus" })).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "page token");
    }

    [Fact]
    public async Task Found_models_carry_their_tags_params_and_metrics()
    {
        var rf = (await _mlflow.OkAsync("logged-models/search", Search("name = 'rf'")))["models"]![0]!;

        Assert.Equal("a", LoggedModelRequests.KeyValues(rf["info"]!["tags"])["team"]);
        Assert.Equal("8", LoggedModelRequests.KeyValues(rf["data"]!["params"])["depth"]);
        Assert.Equal([0.7, 0.95], rf["data"]!["metrics"]!.AsArray().Select(m => (double)m!["value"]!));
    }
}
