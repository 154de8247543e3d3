using Cairn.Server.Artifacts;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;

namespace Cairn.Server.Models.Logged;

/// <summary>A logged model's files, read through the artifact store: one directory level at a time, or one file (the UI's download).</summary>
public static class LoggedModelArtifactsApi
{
    public static RouteGroupBuilder MapLoggedModelArtifacts(this RouteGroupBuilder loggedModels)
    {
        loggedModels.MapGet("/{modelId}/artifacts/directories", ListAsync);
        loggedModels.MapGet("/{modelId}/artifacts/files", DownloadAsync);
        return loggedModels;
    }

    private static async Task<IResult> ListAsync(HttpContext http, string modelId, CairnDb db, IArtifactStore store)
    {
        var request = await MlflowRequest.ReadAsync<ListLoggedModelArtifactsRequest>(http);
        var model = await LoggedModelReader.FindActiveAsync(db, modelId, http.RequestAborted);
        return await ArtifactsApi.ListUnderRootAsync(store, model.ArtifactUri, request.ArtifactDirectoryPath, "artifact_directory_path", http.RequestAborted);
    }

    private static async Task<IResult> DownloadAsync(HttpContext http, string modelId, CairnDb db, IArtifactStore store)
    {
        var request = await MlflowRequest.ReadAsync<LoggedModelArtifactFileRequest>(http);
        if (string.IsNullOrEmpty(request.ArtifactFilePath))
        {
            throw new MlflowException(ErrorCodes.BadRequest, "Request must include the \"artifact_file_path\" query parameter.");
        }

        var relative = ArtifactPath.Normalize(request.ArtifactFilePath, "artifact_file_path");
        var model = await LoggedModelReader.FindActiveAsync(db, modelId, http.RequestAborted);
        return await ArtifactsApi.SendFileAsync(http, store, ArtifactPath.Join(ArtifactsApi.StoreRoot(model.ArtifactUri), relative));
    }
}
