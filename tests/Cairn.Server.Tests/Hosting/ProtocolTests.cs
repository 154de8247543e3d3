using System.Net;
using System.Text;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Hosting;

/// <summary>The MLflow transport: routes, mirrors, bodies, errors, health and version probes.</summary>
public sealed class ProtocolTests
{
    [Fact]
    public async Task Health_and_version_answer_plain_text()
    {
        await using var app = new CairnApp();
        var http = app.CreateClient();

        Assert.Equal("OK", await http.GetStringAsync("/health"));
        var version = await http.GetStringAsync("/version");
        Assert.Matches(@"^2\.\d+\.\d+$", version);
    }

    [Fact]
    public async Task Liveness_and_readiness_report_healthy()
    {
        await using var app = new CairnApp();
        var http = app.CreateClient();

        Assert.Equal("Healthy", await http.GetStringAsync("/health/live"));
        Assert.Equal("Healthy", await http.GetStringAsync("/health/ready"));
    }

    [Fact]
    public async Task Prometheus_metrics_count_requests_by_endpoint()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateExperimentAsync("counted");
        await mlflow.LogBatchAsync(await mlflow.CreateRunAsync("0"), metrics: [Points.Metric("m", 1.0), Points.Metric("m", 2.0, step: 1)]);

        var metrics = await mlflow.Http.GetStringAsync("/metrics");

        Assert.Contains("http_requests_received_total", metrics, StringComparison.Ordinal);
        Assert.Contains("experiments/create", metrics, StringComparison.Ordinal);
        Assert.Contains("http_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("cairn_run_writer_commit_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Matches(@"cairn_run_writer_rows_total [1-9]", metrics);
    }

    [Theory]
    [InlineData("/api/2.0/mlflow/traces")]
    [InlineData("/api/3.0/mlflow/server-info")]
    [InlineData("/api/2.0/mlflow/scorers/list")]
    [InlineData("/ajax-api/2.0/mlflow/gateway-proxy")]
    public async Task Unknown_api_routes_answer_endpoint_not_found_so_clients_fall_back(string path)
    {
        await using var app = new CairnApp();

        using var response = await app.CreateClient().PostAsync(path, new StringContent("{}", Encoding.UTF8, "application/json"));
        var body = await MlflowResponse.ReadAsync(response);

        body.IsError(HttpStatusCode.NotFound, "ENDPOINT_NOT_FOUND");
    }

    [Fact]
    public async Task The_ajax_api_mirror_serves_the_same_data()
    {
        await using var app = new CairnApp();
        var id = await app.Mlflow().CreateExperimentAsync("mirrored");

        var experiment = (await app.Mlflow("/ajax-api/2.0/mlflow").GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!;

        Assert.Equal("mirrored", (string)experiment["name"]!);
    }

    [Fact]
    public async Task The_server_mounts_under_a_path_prefix()
    {
        await using var app = new CairnApp(new() { ["Cairn:PathBase"] = "/mlflow" });
        var mlflow = app.Mlflow("/mlflow/api/2.0/mlflow");

        var id = await mlflow.CreateExperimentAsync("prefixed");

        Assert.Equal("prefixed", (string)(await mlflow.GetAsync("experiments/get", ("experiment_id", id))).Ok()["experiment"]!["name"]!);
        Assert.Equal("OK", await mlflow.Http.GetStringAsync("/mlflow/health"));
    }

    [Fact]
    public async Task An_empty_body_is_an_empty_message()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostRawAsync("experiments/create", []);

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'name'");
    }

    [Fact]
    public async Task A_double_encoded_body_is_decoded_twice()
    {
        await using var app = new CairnApp();
        var inner = "{\"name\": \"twice\"}";

        var response = await app.Mlflow().PostRawAsync("experiments/create", Encoding.UTF8.GetBytes(System.Text.Json.JsonSerializer.Serialize(inner)));

        Assert.NotNull((string?)response.Ok()["experiment_id"]);
    }

    [Fact]
    public async Task Unknown_fields_are_ignored()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostAsync("experiments/create", new { name = "lenient", workspace = "w", future_field = new[] { 1, 2 } });

        Assert.NotNull((string?)response.Ok()["experiment_id"]);
    }

    [Fact]
    public async Task Numbers_sent_as_strings_are_accepted()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        await mlflow.OkAsync("runs/log-metric", new { run_id = runId, key = "m", value = "0.5", timestamp = "1767225600000", step = "3" });

        var metric = (await mlflow.GetRunAsync(runId))["data"]!["metrics"]![0]!;
        Assert.Equal(3, (long)metric["step"]!);
        Assert.Equal(0.5, (double)metric["value"]!);
    }

    [Theory]
    [InlineData("{\"name\": ")]
    [InlineData("{\"name\": \"x\"} trailing")]
    [InlineData("[1, 2]")]
    [InlineData("not json")]
    public async Task Malformed_json_is_invalid_parameter_value_and_creates_nothing(string body)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();

        var response = await mlflow.PostRawAsync("experiments/create", Encoding.UTF8.GetBytes(body));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        var experiments = (await mlflow.PostAsync("experiments/search", new { })).Ok()["experiments"]!.AsArray();
        Assert.Single(experiments);
    }

    [Fact]
    public async Task A_body_that_is_not_utf8_is_rejected()
    {
        await using var app = new CairnApp();
        byte[] body = [.. "{\"name\": \""u8, 0xC3, 0x28, .. "\"}"u8];

        var response = await app.Mlflow().PostRawAsync("experiments/create", body);

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "UTF-8");
    }

    [Fact]
    public async Task Wrong_types_name_the_field()
    {
        await using var app = new CairnApp();

        var response = await app.Mlflow().PostRawAsync("experiments/create", Encoding.UTF8.GetBytes("{\"name\": {\"nested\": 1}}"));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'name'");
    }

    [Fact]
    public async Task An_oversized_body_is_refused_before_it_is_read()
    {
        await using var app = new CairnApp(new() { ["Cairn:MaxRequestBodyBytes"] = "65536" });
        var mlflow = app.Mlflow();
        var runId = await mlflow.CreateRunAsync("0");

        var tags = Enumerable.Range(0, 20).Select(i => Points.Kv($"t{i}", new string('x', 4000))).ToArray();

        var response = await mlflow.PostAsync("runs/log-batch", new { run_id = runId, tags });

        response.IsError(HttpStatusCode.RequestEntityTooLarge, "INVALID_PARAMETER_VALUE", "65536");
        Assert.DoesNotContain((await mlflow.GetRunAsync(runId))["data"]!["tags"]!.AsArray(), t => (string)t!["key"]! == "t0");
    }

    [Fact]
    public async Task Get_requests_read_repeated_query_keys_as_lists_and_booleans_in_any_case()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateExperimentAsync("b-one");
        await mlflow.CreateExperimentAsync("a-two");

        var experiments = (await mlflow.GetAsync("experiments/search",
            ("filter", "name LIKE '%-%'"), ("order_by", "name ASC"), ("order_by", "experiment_id"), ("max_results", "10"))).Ok()["experiments"]!.AsArray();

        Assert.Equal(["a-two", "b-one"], experiments.Select(e => (string)e!["name"]!));
    }
}
