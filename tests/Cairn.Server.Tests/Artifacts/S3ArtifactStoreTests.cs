using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Cairn.Server.Tests.Infrastructure;
using static Cairn.Server.Tests.Artifacts.ArtifactsTests;

namespace Cairn.Server.Tests.Artifacts;

/// <summary>What only the S3 store has: a key prefix, multipart uploads, and a bucket that must be there at start.</summary>
[Collection(MotoCollection.Name)]
public sealed class S3ArtifactStoreTests(MotoServer moto) : IAsyncLifetime
{
    private const string Proxy = "/api/2.0/mlflow-artifacts/artifacts";
    private const long Large = 64L << 20;
    private readonly S3Backend _store = new(moto);
    private CairnApp _app = null!;
    private HttpClient _http = null!;
    private string _root = "";

    public async Task InitializeAsync()
    {
        _app = new CairnApp(_store.Settings);
        _http = _app.CreateClient();
        _root = await RunRootAsync(_http);
        (await _http.GetAsync("/health")).EnsureSuccessStatusCode();
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Artifacts_land_under_the_prefix_and_nothing_outside_it_is_listed()
    {
        using var s3 = moto.CreateClient();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = MotoServer.Bucket, Key = $"{_root}/not-ours.txt", ContentBody = "x" });

        (await _http.PutAsync($"{Proxy}/{_root}/model/MLmodel", new StringContent("flavors: {}"))).EnsureSuccessStatusCode();

        using var stored = await s3.GetObjectAsync(MotoServer.Bucket, $"{_store.Prefix}/{_root}/model/MLmodel");
        Assert.Equal("flavors: {}", await new StreamReader(stored.ResponseStream).ReadToEndAsync());
        Assert.Equal([$"{_root}/model/MLmodel"], await _store.FilesAsync(_app));
        Assert.Equal("""{"files":[{"path":"model","is_dir":true}]}""", await _http.GetStringAsync($"{Proxy}?path={_root}"));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"{Proxy}/{_root}/not-ours.txt")).StatusCode);
    }

    [Fact]
    public async Task A_64_MiB_upload_streams_as_multipart_parts_and_downloads_whole_and_in_ranges()
    {
        var content = new StreamContent(new GeneratedBody(Large));
        (await _http.PutAsync($"{Proxy}/{_root}/weights.bin", content)).EnsureSuccessStatusCode();

        using var s3 = moto.CreateClient();
        var head = await s3.GetObjectMetadataAsync(MotoServer.Bucket, $"{_store.Prefix}/{_root}/weights.bin");
        Assert.Equal(Large, head.ContentLength);
        Assert.EndsWith("-8\"", head.ETag, StringComparison.Ordinal); // a multipart ETag names its part count: 8 parts of 8 MiB

        using var download = await _http.GetAsync($"{Proxy}/{_root}/weights.bin", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(Large, download.Content.Headers.ContentLength);
        Assert.Equal(await SHA256.HashDataAsync(new GeneratedBody(Large)), await SHA256.HashDataAsync(await download.Content.ReadAsStreamAsync()));

        var request = new HttpRequestMessage(HttpMethod.Get, $"{Proxy}/{_root}/weights.bin");
        var from = (40L << 20) + 12345;
        request.Headers.Range = new RangeHeaderValue(from, from + 99_999);
        var range = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, range.StatusCode);
        Assert.Equal(GeneratedBody.Bytes(from, 100_000), await range.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_upload_that_breaks_off_after_some_parts_leaves_no_object_and_no_pending_multipart_upload()
    {
        // A real socket: the in-process test server gives up on a failing body before the handler reads it.
        await using var server = await ServerProcess.StartAsync(TemporaryData(), [.. S3Flags(moto.Url, MotoServer.Bucket), "--artifacts-s3-prefix", _store.Prefix]);
        using var http = new HttpClient { BaseAddress = new Uri(server.BaseUrl) };
        var root = await RunRootAsync(http);
        var pendingWhenBroken = false;
        var body = GeneratedBody.BreakingOffAfter(20L << 20, async () =>
            pendingWhenBroken = await EventuallyAsync(async () => await _store.PendingUploadsAsync(_app) == 1));

        await Assert.ThrowsAnyAsync<HttpRequestException>(() => http.PutAsync($"{Proxy}/{root}/partial.bin", new StreamContent(body)));

        Assert.True(pendingWhenBroken, "The upload never became a multipart upload in progress.");
        Assert.True(await EventuallyAsync(async () => await _store.PendingUploadsAsync(_app) == 0));
        Assert.Empty(await _store.FilesAsync(_app));
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"{Proxy}/{root}/partial.bin")).StatusCode);
    }

    [Fact]
    public async Task A_missing_bucket_stops_the_server_at_start_naming_the_setting()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(TemporaryData(), S3Flags(moto.Url, "no-such-bucket"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--artifacts-s3-bucket", output, StringComparison.Ordinal);
        Assert.Contains("'no-such-bucket'", output, StringComparison.Ordinal);
        Assert.Contains("does not exist", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_endpoint_nothing_answers_on_stops_the_server_at_start()
    {
        var nobody = $"http://127.0.0.1:{MotoServer.FreePort()}";

        var (exitCode, output) = await ServerProcess.RunToExitAsync(TemporaryData(), S3Flags(nobody, MotoServer.Bucket));

        Assert.NotEqual(0, exitCode);
        Assert.Contains($"bucket '{MotoServer.Bucket}' at {nobody}, which cannot be reached", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_s3_store_without_a_bucket_fails_at_start_naming_the_setting()
    {
        var (exitCode, output) = await ServerProcess.RunToExitAsync(TemporaryData(), "--artifacts-store", "s3");

        Assert.NotEqual(0, exitCode);
        Assert.Contains("Cairn:Artifacts:S3:Bucket (--artifacts-s3-bucket, CAIRN_ARTIFACTS_S3_BUCKET) is required when the artifact store is s3", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Health_ready_fails_once_the_bucket_is_gone_while_live_still_answers()
    {
        var bucket = $"ready-{Guid.NewGuid():N}";
        using var s3 = moto.CreateClient();
        await s3.PutBucketAsync(bucket);
        await using var app = new CairnApp(moto.StoreSettings("cairn", bucket));
        var http = app.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);

        await s3.DeleteBucketAsync(bucket);

        var ready = await http.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
    }

    [Fact]
    public async Task With_create_bucket_set_a_missing_bucket_is_created_at_start()
    {
        var bucket = $"created-{Guid.NewGuid():N}";
        var settings = moto.StoreSettings("cairn", bucket);
        settings["Cairn:Artifacts:S3:CreateBucket"] = "true";
        await using var app = new CairnApp(settings);
        var http = app.CreateClient();
        var root = await RunRootAsync(http);

        (await http.PutAsync($"{Proxy}/{root}/a.txt", new StringContent("a"))).EnsureSuccessStatusCode();

        using var s3 = moto.CreateClient();
        using var stored = await s3.GetObjectAsync(bucket, $"cairn/{root}/a.txt");
        Assert.Equal(1, stored.ContentLength);
    }

    /// <summary>A new run's artifact root as a store path: uploads land only under one.</summary>
    private static async Task<string> RunRootAsync(HttpClient http)
    {
        var mlflow = new MlflowClient(http, "/api/2.0/mlflow");
        var runId = await mlflow.CreateRunAsync(await mlflow.CreateExperimentAsync($"s3-{Guid.NewGuid():N}"));
        return ((string)(await mlflow.GetRunAsync(runId))["info"]!["artifact_uri"]!)["mlflow-artifacts:/".Length..];
    }

    private static string TemporaryData() => Path.Combine(Path.GetTempPath(), "cairn-tests", Guid.NewGuid().ToString("N"));

    private static string[] S3Flags(string endpoint, string bucket) =>
    [
        "--artifacts-store", "s3", "--artifacts-s3-endpoint", endpoint, "--artifacts-s3-bucket", bucket,
        "--artifacts-s3-access-key", MotoServer.AccessKey, "--artifacts-s3-secret-key", MotoServer.SecretKey,
    ];
}
