using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking.Runs;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Artifacts;

/// <summary>
/// MLflow's proxied artifacts (<c>/api/2.0/mlflow-artifacts</c>): list, download (with Range), upload (streamed,
/// no body limit), delete; multipart upload answers the 501 that makes clients fall back to one PUT. Also the
/// tracking API's run-relative listing, <c>artifacts/list</c>.
/// </summary>
public static class ArtifactsApi
{
    /// <summary>The start of the message MLflow clients look for before falling back to a single PUT.</summary>
    public const string MultipartNotSupported = "Multipart upload is not supported for the current artifact repository";

    public static WebApplication MapArtifacts(this WebApplication app)
    {
        foreach (var prefix in (string[])["/api/2.0/mlflow-artifacts", "/ajax-api/2.0/mlflow-artifacts"])
        {
            var group = app.MapGroup(prefix)
                .AddEndpointFilter<MlflowErrors>()
                .WithMetadata(new DisableRequestSizeLimitAttribute())
                .ExcludeFromDescription();
            group.MapGet("/artifacts", ListAsync);
            group.MapGet("/artifacts/{**path}", DownloadAsync);
            group.MapPut("/artifacts/{**path}", UploadAsync);
            group.MapDelete("/artifacts/{**path}", DeleteAsync);
            group.MapPost("/mpu/{step:regex(^(create|complete|abort)$)}/{**path}", () => Task.FromException<IResult>(
                new MlflowException(ErrorCodes.NotImplemented, $"{MultipartNotSupported}: Cairn takes artifacts in one streamed PUT.")));
        }

        return app;
    }

    /// <summary>Tracking's <c>artifacts/list</c>: one level of a run's artifacts, paths relative to the run's root.</summary>
    public static RouteGroupBuilder MapRunArtifacts(this RouteGroupBuilder mlflow)
    {
        mlflow.MapGet("/artifacts/list", ListRunAsync);
        return mlflow;
    }

    private static async Task<IResult> ListAsync(string? path, IArtifactStore store, CancellationToken cancellationToken)
    {
        var directory = ArtifactPath.Normalize(path);
        var entries = await store.ListAsync(directory, cancellationToken);
        return Results.Json(entries.Count == 0 ? new FilesJson(null) : new FilesJson(entries.Select(e => FileJson.Of(e.Name, e)).ToList()), MlflowJson.Options);
    }

    private static Task<IResult> DownloadAsync(HttpContext http, string path, IArtifactStore store) =>
        SendFileAsync(http, store, ArtifactPath.Normalize(path));

    /// <summary>
    /// Streams the stored file at <paramref name="file"/> (a normalized store path) as an attachment, honouring Range and
    /// conditional requests; a whole local file goes out without intermediate copies.
    /// </summary>
    public static async Task<IResult> SendFileAsync(HttpContext http, IArtifactStore store, string file)
    {
        var content = await store.OpenAsync(file, http.RequestAborted)
            ?? throw MlflowException.NotFound($"No artifact at '{file}'.");
        var name = file[(file.LastIndexOf('/') + 1)..];
        http.Response.Headers.XContentTypeOptions = "nosniff";
        var contentType = ArtifactContentType.Of(name);
        if (content.Stream is FileStream local && WholeFileResult.Serves(http.Request))
        {
            return new WholeFileResult(local, contentType, name, content.LastModified);
        }

        return Results.File(content.Stream, contentType, name, content.LastModified, enableRangeProcessing: true);
    }

    private static async Task<IResult> UploadAsync(HttpContext http, string path, IArtifactStore store, CairnDb db)
    {
        var file = ArtifactPath.Normalize(path);
        await UploadTarget.RequireAsync(db, file, http.RequestAborted);
        await store.PutAsync(file, http.Request.BodyReader, http.RequestAborted);
        return Results.Json(new { });
    }

    private static async Task<IResult> DeleteAsync(string path, IArtifactStore store, CancellationToken cancellationToken)
    {
        await store.DeleteAsync(ArtifactPath.Normalize(path), cancellationToken);
        return Results.Json(new { });
    }

    private static async Task<IResult> ListRunAsync(HttpContext http, CairnDb db, IArtifactStore store)
    {
        var request = await MlflowRequest.ReadAsync<ListRunArtifactsRequest>(http);
        var runId = request.RequireRunId();
        var artifactUri = await db.Runs.AsNoTracking().Where(r => r.Uuid == runId).Select(r => r.ArtifactUri).FirstOrDefaultAsync(http.RequestAborted)
            ?? throw RunReader.NotFound(runId);
        return await ListUnderRootAsync(store, artifactUri, request.Path, "path", http.RequestAborted);
    }

    /// <summary>
    /// One level of the artifacts under <paramref name="rootUri"/> (a run's or a logged model's): <c>root_uri</c> and
    /// <c>files</c> whose paths are relative to that root, as MLflow's run and logged-model listings answer.
    /// </summary>
    public static async Task<IResult> ListUnderRootAsync(IArtifactStore store, string rootUri, string? path, string field, CancellationToken cancellationToken)
    {
        var relative = ArtifactPath.Normalize(path, field);
        var entries = await store.ListAsync(ArtifactPath.Join(StoreRoot(rootUri), relative), cancellationToken);
        return Results.Json(new RootedFilesJson(rootUri,
            entries.Count == 0 ? null : entries.Select(e => FileJson.Of(ArtifactPath.Join(relative, e.Name), e)).ToList()), MlflowJson.Options);
    }

    /// <summary>The store path of an artifact root, or a 400 when the root lies outside Cairn's store (a client-chosen location).</summary>
    public static string StoreRoot(string rootUri) =>
        ArtifactUris.StorePath(rootUri)
            ?? throw MlflowException.InvalidParameter($"These artifacts live at '{rootUri}', outside Cairn's artifact store; read them from there.");

    public sealed class ListRunArtifactsRequest : RunIdRequest
    {
        public string? Path { get; set; }
        public string? PageToken { get; set; }
    }

    /// <summary>A listed file or folder; an empty file has no <c>file_size</c>, as MLflow lists it.</summary>
    private sealed record FileJson(string Path, bool IsDir, long? FileSize)
    {
        public static FileJson Of(string path, ArtifactEntry entry) => new(path, entry.IsDirectory, entry.Size is 0 ? null : entry.Size);
    }

    private sealed record FilesJson(IReadOnlyList<FileJson>? Files);

    private sealed record RootedFilesJson(string RootUri, IReadOnlyList<FileJson>? Files);
}
