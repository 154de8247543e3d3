using System.Net;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

/// <summary>Registered-model and model-version search; one registry shared by the class, which only reads it.</summary>
public sealed class RegistrySearchTests(RegistrySearchTests.Fixture registry) : IClassFixture<RegistrySearchTests.Fixture>
{
    public sealed class Fixture : IAsyncLifetime
    {
        public CairnApp App { get; } = new();
        public MlflowClient Mlflow => App.Mlflow();
        public string RunA { get; private set; } = "";
        public string RunB { get; private set; } = "";

        public async Task InitializeAsync()
        {
            var mlflow = Mlflow;
            RunA = await mlflow.CreateRunAsync("0");
            RunB = await mlflow.CreateRunAsync("0");
            await mlflow.CreateModelAsync("fraud-card", [Points.Kv("team", "risk")]);
            await mlflow.CreateModelAsync("fraud-wire", [Points.Kv("team", "risk"), Points.Kv("mlflow.prompt.is_prompt", "false")]);
            await mlflow.CreateModelAsync("churn", [Points.Kv("team", "growth")]);
            await mlflow.CreateModelAsync("summarise", [Points.Kv("mlflow.prompt.is_prompt", "true")]);
            await mlflow.CreateVersionAsync("fraud-card", RunA);
            await mlflow.CreateVersionAsync("fraud-card", RunB, [Points.Kv("validated", "yes")]);
            await mlflow.CreateVersionAsync("fraud-card", RunB);
            await mlflow.CreateVersionAsync("churn", RunA);
        }

        public async Task DisposeAsync() => await App.DisposeAsync();
    }

    private async Task<string[]> ModelsAsync(params (string, string)[] query) =>
        [.. ((await registry.Mlflow.GetAsync("registered-models/search", query)).Ok()["registered_models"]?.AsArray() ?? []).Select(m => (string)m!["name"]!)];

    private async Task<string[]> VersionsAsync(params (string, string)[] query) =>
        [.. ((await registry.Mlflow.GetAsync("model-versions/search", query)).Ok()["model_versions"]?.AsArray() ?? []).Select(v => $"{v!["name"]}/{v["version"]}")];

    [Fact]
    public async Task The_clause_3x_clients_append_finds_models_without_the_prompt_tag()
    {
        var models = await ModelsAsync(("filter", "tag.`mlflow.prompt.is_prompt` != 'true'"));
        var prompts = await ModelsAsync(("filter", "tags.`mlflow.prompt.is_prompt` = 'true'"));
        var notPrompts = await ModelsAsync(("filter", "name LIKE 'fraud%' AND tag.`mlflow.prompt.is_prompt` = 'false'"));

        Assert.Equal(["churn", "fraud-card", "fraud-wire"], models);
        Assert.Equal(["summarise"], prompts);
        Assert.Equal(["fraud-card", "fraud-wire"], notPrompts);
    }

    [Fact]
    public async Task Models_filter_on_name_and_tags_and_order_by_name()
    {
        Assert.Equal(["fraud-card", "fraud-wire"], await ModelsAsync(("filter", "name LIKE 'fraud-%'")));
        Assert.Equal(["churn"], await ModelsAsync(("filter", "name ILIKE 'CHURN'")));
        Assert.Equal(["fraud-wire", "fraud-card"], await ModelsAsync(("filter", "tags.team = 'risk'"), ("order_by", "name DESC")));
        Assert.Equal(["churn", "fraud-card", "fraud-wire", "summarise"], await ModelsAsync());
    }

    [Fact]
    public async Task Model_pages_chain_through_page_tokens()
    {
        var first = (await registry.Mlflow.GetAsync("registered-models/search", ("max_results", "3"))).Ok();
        var second = (await registry.Mlflow.GetAsync("registered-models/search", ("max_results", "3"), ("page_token", (string)first["next_page_token"]!))).Ok();

        Assert.Equal(3, first["registered_models"]!.AsArray().Count);
        Assert.Equal("summarise", (string)second["registered_models"]![0]!["name"]!);
        Assert.Null(second["next_page_token"]);
    }

    [Fact]
    public async Task Versions_filter_on_name_run_version_source_and_tags()
    {
        Assert.Equal(["fraud-card/3", "fraud-card/2", "fraud-card/1"], await VersionsAsync(("filter", "name = 'fraud-card'")));
        Assert.Equal(["churn/1", "fraud-card/1"], await VersionsAsync(("filter", $"run_id IN ('{registry.RunA}')")));
        Assert.Equal(["fraud-card/3", "fraud-card/2"], await VersionsAsync(("filter", "name = 'fraud-card' AND version_number > 1")));
        Assert.Equal(["fraud-card/2"], await VersionsAsync(("filter", "tags.validated = 'yes'")));
        Assert.Equal(["fraud-card/3", "fraud-card/2"], await VersionsAsync(("filter", $"source_path = 'runs:/{registry.RunB}/model'")));
        Assert.Equal(["fraud-card/1", "fraud-card/2", "fraud-card/3"], await VersionsAsync(("filter", "name = 'fraud-card'"), ("order_by", "version_number ASC")));
    }

    [Fact]
    public async Task Version_search_accepts_the_prompt_clause()
    {
        Assert.Equal(4, (await VersionsAsync(("filter", "tags.`mlflow.prompt.is_prompt` != 'true'"))).Length);
    }

    [Theory]
    [InlineData("registered-models/search", "filter", "run_id = 'x'", "Invalid attribute key")]
    [InlineData("registered-models/search", "filter", "metrics.acc > 1", "Invalid entity type")]
    [InlineData("model-versions/search", "filter", "stage = 'x'", "Invalid attribute key")]
    [InlineData("model-versions/search", "filter", "version_number = 'two'", "numeric")]
    [InlineData("registered-models/search", "order_by", "params.lr", "attributes only")]
    [InlineData("registered-models/search", "max_results", "1001", "max_results")]
    public async Task Bad_searches_are_invalid_parameter_value(string path, string field, string value, string mentions)
    {
        var response = await registry.Mlflow.GetAsync(path, (field, value));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", mentions);
    }
}
