using System.Net;
using System.Text;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Models;

/// <summary>A logged model's files: uploaded through the artifact proxy under its artifact_uri, listed and downloaded by model id.</summary>
public sealed class LoggedModelArtifactsTests
{
    [Fact]
    public async Task Files_under_the_models_artifact_uri_are_listed_relative_to_it_and_downloaded()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        var model = await LoggedModelRequests.CreateAsync(mlflow, "0");
        var modelId = (string)model["info"]!["model_id"]!;
        var artifactUri = (string)model["info"]!["artifact_uri"]!;
        var root = artifactUri["mlflow-artifacts:/".Length..];
        (await mlflow.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{root}/MLmodel", new StringContent("artifact_path: model\n"))).EnsureSuccessStatusCode();
        (await mlflow.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{root}/data/model.pkl", new ByteArrayContent([1, 2, 3]))).EnsureSuccessStatusCode();

        var top = (await mlflow.GetAsync($"logged-models/{modelId}/artifacts/directories")).Ok();
        var data = (await mlflow.GetAsync($"logged-models/{modelId}/artifacts/directories", ("artifact_directory_path", "data"))).Ok();
        using var download = await mlflow.Http.GetAsync($"/ajax-api/2.0/mlflow/logged-models/{modelId}/artifacts/files?artifact_file_path=MLmodel");

        Assert.Equal($$"""{"root_uri":"{{artifactUri}}","files":[{"path":"MLmodel","is_dir":false,"file_size":21},{"path":"data","is_dir":true}]}""", top.ToJsonString());
        Assert.Equal("""[{"path":"data/model.pkl","is_dir":false,"file_size":3}]""", data["files"]!.ToJsonString());
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("artifact_path: model\n", Encoding.UTF8.GetString(await download.Content.ReadAsByteArrayAsync()));
    }

    [Fact]
    public async Task A_download_needs_a_file_path_that_stays_inside_the_model()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow("/ajax-api/2.0/mlflow");
        var modelId = await LoggedModelRequests.CreateIdAsync(mlflow, "0");

        (await mlflow.GetAsync($"logged-models/{modelId}/artifacts/files")).IsError(HttpStatusCode.BadRequest, "BAD_REQUEST", "artifact_file_path");
        (await mlflow.GetAsync($"logged-models/{modelId}/artifacts/files", ("artifact_file_path", "../../secret"))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "..");
        (await mlflow.GetAsync($"logged-models/{modelId}/artifacts/files", ("artifact_file_path", "missing.txt"))).IsError(HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST");
        (await mlflow.GetAsync($"logged-models/{modelId}/artifacts/directories", ("artifact_directory_path", "/etc"))).IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "absolute");
    }
}
