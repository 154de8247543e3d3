using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Artifacts;

/// <summary>The artifact routes on the local store.</summary>
public sealed class LocalArtifactsTests() : ArtifactsTests(new LocalBackend());

/// <summary>The same artifact routes on the S3 store.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3ArtifactsTests(MotoServer moto) : ArtifactsTests(new S3Backend(moto));

/// <summary>MLflow's proxied artifact routes, run on each artifact store by the classes above.</summary>
public abstract class ArtifactsTests : IAsyncLifetime
{
    private const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";
    private readonly ArtifactBackend _store;
    private readonly CairnApp _app;
    private HttpClient _http = null!;
    private string _root = "";
    private string _runId = "";

    protected ArtifactsTests(ArtifactBackend store)
    {
        _store = store;
        _app = new CairnApp(new Dictionary<string, string?>(store.Settings) { ["Cairn:MaxRequestBodyBytes"] = "65536" });
    }

    public async Task InitializeAsync()
    {
        _http = _app.CreateClient();
        var mlflow = _app.Mlflow();
        var experimentId = await mlflow.CreateExperimentAsync("artifacts");
        _runId = await mlflow.CreateRunAsync(experimentId);
        var artifactUri = (string)(await mlflow.GetRunAsync(_runId))["info"]!["artifact_uri"]!;
        Assert.Equal($"mlflow-artifacts:/{experimentId}/{_runId}/artifacts", artifactUri);
        _root = artifactUri["mlflow-artifacts:/".Length..];
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private Task<HttpResponseMessage> PutAsync(string path, byte[] body) =>
        _http.PutAsync($"{Proxy}/{path}", new ByteArrayContent(body));

    private static async Task<JsonNode> JsonAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonNode.Parse(text)!;
    }

    [Fact]
    public async Task Uploaded_files_are_listed_by_name_and_download_byte_for_byte()
    {
        var model = Encoding.UTF8.GetBytes("artifact_path: model\nflavors: {}\n");
        var data = new byte[5000];
        Random.Shared.NextBytes(data);
        await JsonAsync(await PutAsync($"{_root}/model/MLmodel", model));
        await JsonAsync(await PutAsync($"{_root}/model/data/weights.bin", data));
        await JsonAsync(await PutAsync($"{_root}/notes.txt", "hello"u8.ToArray()));

        var top = await JsonAsync(await _http.GetAsync($"{Proxy}?path={_root}"));
        Assert.Equal("""[{"path":"model","is_dir":true},{"path":"notes.txt","is_dir":false,"file_size":5}]""", top["files"]!.ToJsonString());
        var modelDirectory = await JsonAsync(await _http.GetAsync($"{Proxy}?path={_root}/model"));
        Assert.Equal(["MLmodel", "data"], modelDirectory["files"]!.AsArray().Select(f => (string)f!["path"]!).Order(StringComparer.Ordinal));

        var download = await _http.GetAsync($"{Proxy}/{_root}/model/data/weights.bin");
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(data, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("weights.bin", download.Content.Headers.ContentDisposition?.FileNameStar ?? download.Content.Headers.ContentDisposition?.FileName);
        Assert.Equal("nosniff", download.Headers.GetValues("X-Content-Type-Options").Single());
        var text = await _http.GetAsync($"{Proxy}/{_root}/notes.txt");
        Assert.Equal("text/plain", text.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_empty_file_is_listed_without_a_size_and_text_files_download_as_text_plain_as_mlflow_sends_them()
    {
        await JsonAsync(await PutAsync($"{_root}/empty.txt", []));
        await JsonAsync(await PutAsync($"{_root}/metrics.json", "{}"u8.ToArray()));
        await JsonAsync(await PutAsync($"{_root}/model/MLmodel", "flavors: {}"u8.ToArray()));
        await JsonAsync(await PutAsync($"{_root}/plot.png", [1, 2]));

        var proxy = await JsonAsync(await _http.GetAsync($"{Proxy}?path={_root}"));
        var tracking = await JsonAsync(await _http.GetAsync($"/api/2.0/mlflow/artifacts/list?run_id={_runId}"));

        foreach (var listing in new[] { proxy, tracking })
        {
            var empty = listing["files"]!.AsArray().Single(f => ((string)f!["path"]!).EndsWith("empty.txt", StringComparison.Ordinal))!;
            Assert.Null(empty["file_size"]);
        }

        foreach (var (file, type) in new[] { ("metrics.json", "text/plain"), ("model/MLmodel", "text/plain"), ("plot.png", "image/png") })
        {
            using var download = await _http.GetAsync($"{Proxy}/{_root}/{file}");
            Assert.Equal(type, download.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Uploads_are_not_bound_by_the_api_body_limit_and_replace_what_was_there()
    {
        var big = new byte[3 * 1024 * 1024];
        Random.Shared.NextBytes(big);
        await JsonAsync(await PutAsync($"{_root}/big.bin", "old"u8.ToArray()));
        await JsonAsync(await PutAsync($"{_root}/big.bin", big));

        Assert.Equal(big, await _http.GetByteArrayAsync($"{Proxy}/{_root}/big.bin"));
        var tooBigForTracking = await _app.Mlflow().PostAsync("experiments/create", new { name = new string('x', 70_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBigForTracking.Status);
    }

    [Fact]
    public async Task Whole_file_downloads_offer_ranges_and_answer_conditional_requests()
    {
        var data = new byte[700_000];
        Random.Shared.NextBytes(data);
        await JsonAsync(await PutAsync($"{_root}/whole.bin", data));

        var whole = await _http.GetAsync($"{Proxy}/{_root}/whole.bin");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal(data, await whole.Content.ReadAsByteArrayAsync());
        Assert.Equal(data.Length, whole.Content.Headers.ContentLength);
        Assert.Equal("application/octet-stream", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal("bytes", Assert.Single(whole.Headers.AcceptRanges));
        var lastModified = whole.Content.Headers.LastModified ?? throw new Xunit.Sdk.XunitException("no Last-Modified");

        var unchanged = new HttpRequestMessage(HttpMethod.Get, $"{Proxy}/{_root}/whole.bin");
        unchanged.Headers.IfModifiedSince = lastModified;
        Assert.Equal(HttpStatusCode.NotModified, (await _http.SendAsync(unchanged)).StatusCode);
    }

    [Fact]
    public async Task Range_requests_get_just_those_bytes()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)i).ToArray();
        await JsonAsync(await PutAsync($"{_root}/range.bin", data));

        var request = new HttpRequestMessage(HttpMethod.Get, $"{Proxy}/{_root}/range.bin");
        request.Headers.Range = new RangeHeaderValue(100, 199);
        var response = await _http.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(data[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(1000, response.Content.Headers.ContentRange?.Length);
    }

    [Fact]
    public async Task Missing_files_are_not_found_and_missing_folders_list_empty()
    {
        var missing = await _http.GetAsync($"{Proxy}/{_root}/nothing.txt");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("RESOURCE_DOES_NOT_EXIST", (string?)(await JsonNode.ParseAsync(await missing.Content.ReadAsStreamAsync()))!["error_code"]);
        Assert.Equal("{}", (await JsonAsync(await _http.GetAsync($"{Proxy}?path={_root}/nothing"))).ToJsonString());
    }

    [Fact]
    public async Task Deleting_a_folder_removes_everything_in_it()
    {
        await JsonAsync(await PutAsync($"{_root}/plots/a.png", [1]));
        await JsonAsync(await PutAsync($"{_root}/plots/deep/b.png", [2]));
        await JsonAsync(await PutAsync($"{_root}/keep.txt", [3]));

        await JsonAsync(await _http.DeleteAsync($"{Proxy}/{_root}/plots"));

        var top = await JsonAsync(await _http.GetAsync($"{Proxy}?path={_root}"));
        Assert.Equal(["keep.txt"], top["files"]!.AsArray().Select(f => (string)f!["path"]!));
        Assert.Equal([$"{_root}/keep.txt"], await _store.FilesAsync(_app, _root));
    }

    [Fact]
    public async Task Multipart_upload_answers_the_501_that_makes_clients_fall_back_to_one_put()
    {
        var response = await _http.PostAsync($"/api/2.0/mlflow-artifacts/mpu/create/{_root}", new StringContent("""{"path": "big.bin", "num_parts": 3}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.NotImplemented, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("NOT_IMPLEMENTED", (string?)body["error_code"]);
        Assert.StartsWith("Multipart upload is not supported for the current artifact repository", (string?)body["message"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tracking_api_lists_a_runs_artifacts_relative_to_its_root()
    {
        await JsonAsync(await PutAsync($"{_root}/model/MLmodel", [1, 2, 3]));
        await JsonAsync(await PutAsync($"{_root}/metrics.json", [1]));
        var mlflow = _app.Mlflow();

        var top = (await mlflow.GetAsync("artifacts/list", ("run_id", _runId))).Ok();
        Assert.Equal($"mlflow-artifacts:/{_root}", (string?)top["root_uri"]);
        Assert.Equal("""[{"path":"metrics.json","is_dir":false,"file_size":1},{"path":"model","is_dir":true}]""", top["files"]!.ToJsonString());
        var model = (await mlflow.GetAsync("artifacts/list", ("run_id", _runId), ("path", "model"))).Ok();
        Assert.Equal("""[{"path":"model/MLmodel","is_dir":false,"file_size":3}]""", model["files"]!.ToJsonString());
        (await mlflow.GetAsync("artifacts/list", ("run_id", _runId), ("path", "../other"))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'..'");
    }

    [Fact]
    public async Task An_interrupted_upload_leaves_nothing_visible()
    {
        await JsonAsync(await PutAsync($"{_root}/weights.bin", "complete"u8.ToArray()));

        var content = new StreamContent(GeneratedBody.BreakingOffAfter(256 * 1024));
        await Assert.ThrowsAnyAsync<Exception>(() => _http.PutAsync($"{Proxy}/{_root}/weights.bin", content));
        await Assert.ThrowsAnyAsync<Exception>(() => _http.PutAsync($"{Proxy}/{_root}/partial.bin", new StreamContent(GeneratedBody.BreakingOffAfter(256 * 1024))));

        Assert.Equal("complete"u8.ToArray(), await _http.GetByteArrayAsync($"{Proxy}/{_root}/weights.bin"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"{Proxy}/{_root}/partial.bin")).StatusCode);
        Assert.Equal([$"{_root}/weights.bin"], await _store.FilesAsync(_app, _root));
        Assert.True(await EventuallyAsync(async () => await _store.PendingUploadsAsync(_app) == 0));
    }

    /// <summary>Whether <paramref name="condition"/> holds within five seconds: the server notices a dropped upload after the client does.</summary>
    internal static async Task<bool> EventuallyAsync(Func<Task<bool>> condition)
    {
        for (var i = 0; i < 50; i++)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }
}
