using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Hosting;

/// <summary>
/// Writes a web page could forge are refused and change nothing: bodies that are not JSON (the types a browser sends
/// cross-site without asking), charsets other than UTF-8, bytes that are not UTF-8, and requests a browser marks as
/// coming from another site.
/// </summary>
public sealed class WriteRequestGuardTests : IAsyncLifetime
{
    private readonly CairnApp _app = new();
    private MlflowClient _mlflow = null!;
    private string _experimentId = "";
    private string _runId = "";

    public async Task InitializeAsync()
    {
        _mlflow = _app.Mlflow();
        _experimentId = await _mlflow.CreateExperimentAsync("guarded");
        _runId = await _mlflow.CreateRunAsync(_experimentId);
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    /// <summary>Each route with each form a forged or careless write takes; MLflow's server answers all of them 400.</summary>
    public static TheoryData<string, string?> Forms()
    {
        var data = new TheoryData<string, string?>();
        foreach (var route in (string[])["runs/log-batch", "runs/log-metric", "runs/set-tag", "runs/delete", "experiments/delete"])
        {
            data.Add(route, "application/x-www-form-urlencoded");
            data.Add(route, "multipart/form-data; boundary=x");
            data.Add(route, "text/plain");
            data.Add(route, "text/xml");
            data.Add(route, null);
            data.Add(route, "application/json; charset=latin-1");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Forms))]
    public async Task A_write_whose_body_is_not_json_is_refused_and_changes_nothing(string route, string? contentType)
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes(Body(route)));
        content.Headers.ContentType = contentType is null ? null : MediaTypeHeaderValue.Parse(contentType);

        using var response = await _app.CreateClient().PostAsync($"/api/2.0/mlflow/{route}", content);
        var body = await MlflowResponse.ReadAsync(response);

        body.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("application/json", (string)body.Body!["message"]!, StringComparison.Ordinal);
        await AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=\"UTF-8\"")]
    public async Task Json_with_or_without_a_utf8_charset_is_applied(string contentType)
    {
        var response = await _mlflow.PostRawAsync("runs/set-tag", Encoding.UTF8.GetBytes(Body("runs/set-tag")), contentType);

        response.Ok();
        var tags = (await _mlflow.GetRunAsync(_runId))["data"]!["tags"]!.AsArray();
        Assert.Contains(tags, t => (string)t!["key"]! == "forged");
    }

    [Theory]
    [InlineData("runs/set-tag", "{\"run_id\": \"RUN\", \"key\": \"forged\", \"value\": \"v\", \"note\": \"\u00ff\u00fe\"}")]
    [InlineData("runs/log-batch", "{\"run_id\": \"RUN\", \"tags\": [{\"key\": \"forged\", \"value\": \"v\"}], \"extra\": [\"\u00c3\u0028\"]}")]
    public async Task A_body_that_is_not_utf8_is_refused_even_in_fields_cairn_ignores(string route, string template)
    {
        var bytes = template.Replace("RUN", _runId, StringComparison.Ordinal).Select(c => (byte)c).ToArray();

        var response = await _mlflow.PostRawAsync(route, bytes);

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE");
        Assert.Contains("UTF-8", (string)response.Body!["message"]!, StringComparison.Ordinal);
        await AssertUnchangedAsync();
    }

    [Theory]
    [InlineData("Sec-Fetch-Site", "cross-site")]
    [InlineData("Sec-Fetch-Site", "same-site")]
    [InlineData("Origin", "https://evil.example")]
    [InlineData("Origin", "null")]
    public async Task A_write_a_browser_marks_as_cross_site_is_refused_even_as_json(string header, string value)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/experiments/delete")
        {
            Content = new StringContent(Body("experiments/delete"), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation(header, value);

        using var response = await _app.CreateClient().SendAsync(request);
        var body = await MlflowResponse.ReadAsync(response);

        body.IsError(HttpStatusCode.Forbidden, "PERMISSION_DENIED");
        await AssertUnchangedAsync();
    }

    [Fact]
    public async Task A_same_origin_browser_write_and_a_put_upload_of_any_type_are_applied()
    {
        var http = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/2.0/mlflow/runs/set-tag")
        {
            Content = new StringContent(Body("runs/set-tag"), Encoding.UTF8, "application/json"),
        };
        request.Headers.TryAddWithoutValidation("Sec-Fetch-Site", "same-origin");
        (await MlflowResponse.ReadAsync(await http.SendAsync(request))).Ok();

        var root = ((string)(await _mlflow.GetRunAsync(_runId))["info"]!["artifact_uri"]!)["mlflow-artifacts:/".Length..];
        using var upload = await http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{root}/notes.txt", new StringContent("plain text", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
    }

    [Fact]
    public async Task The_native_api_refuses_a_form_post_too()
    {
        using var content = new FormUrlEncodedContent([new("name", "hook"), new("url", "https://ci.example.com/hook")]);

        using var response = await _app.CreateClient().PostAsync("/api/v1/webhooks", content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        var list = JsonNode.Parse(await _app.CreateClient().GetStringAsync("/api/v1/webhooks"))!;
        Assert.Empty(list["webhooks"]?.AsArray() ?? []);
    }

    private string Body(string route) => route switch
    {
        "runs/log-batch" => $$"""{"run_id": "{{_runId}}", "metrics": [{"key": "forged", "value": 1, "timestamp": 1, "step": 0}], "tags": [{"key": "forged", "value": "v"}]}""",
        "runs/log-metric" => $$"""{"run_id": "{{_runId}}", "key": "forged", "value": 1, "timestamp": 1, "step": 0}""",
        "runs/set-tag" => $$"""{"run_id": "{{_runId}}", "key": "forged", "value": "v"}""",
        "runs/delete" => $$"""{"run_id": "{{_runId}}"}""",
        "experiments/delete" => $$"""{"experiment_id": "{{_experimentId}}"}""",
        _ => throw new ArgumentOutOfRangeException(nameof(route)),
    };

    private async Task AssertUnchangedAsync()
    {
        var run = await _mlflow.GetRunAsync(_runId);
        Assert.Equal("active", (string)run["info"]!["lifecycle_stage"]!);
        Assert.DoesNotContain(run["data"]!["tags"]?.AsArray() ?? [], t => (string)t!["key"]! == "forged");
        Assert.Null(run["data"]!["metrics"]);
        var experiment = (await _mlflow.GetAsync("experiments/get", ("experiment_id", _experimentId))).Ok()["experiment"]!;
        Assert.Equal("active", (string)experiment["lifecycle_stage"]!);
    }
}
