using System.Text;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

/// <summary>
/// What <c>mlflow.pyfunc.load_model("models:/…")</c> does on the wire: resolve the URI through the registry, ask
/// for the download URI, then list and fetch the files through the proxied artifact routes.
/// </summary>
public sealed class ModelUriTests
{
    [Theory]
    [InlineData("models:/m@champion")]
    [InlineData("models:/m/2")]
    [InlineData("models:/m/Production")]
    public async Task A_model_uri_resolves_to_files_the_client_can_download(string uri)
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        var runId = await mlflow.CreateRunAsync("0");
        var artifactUri = (string)(await mlflow.GetRunAsync(runId))["info"]!["artifact_uri"]!;
        var storePath = artifactUri["mlflow-artifacts:/".Length..];
        using (var put = await mlflow.Http.PutAsync($"/api/2.0/mlflow-artifacts/artifacts/{storePath}/model/MLmodel", new StringContent("flavors: {}\n")))
        {
            put.EnsureSuccessStatusCode();
        }

        await mlflow.CreateVersionAsync("m", runId);
        await mlflow.SetAliasAsync("m", "champion", 2);
        await mlflow.OkAsync("model-versions/transition-stage", new { name = "m", version = "2", stage = "Production" });

        var version = await ResolveAsync(mlflow, uri);
        var download = (string)(await mlflow.GetAsync("model-versions/get-download-uri", ("name", "m"), ("version", version))).Ok()["artifact_uri"]!;
        // The client resolves a runs:/ answer through the run, as MLflow's RunsArtifactRepository does.
        Assert.Equal($"runs:/{runId}/model", download);
        var path = $"{storePath}/model";
        var files = (await new MlflowClient(mlflow.Http, "/api/2.0/mlflow-artifacts").GetAsync("artifacts", ("path", path))).Ok()["files"]!.AsArray();
        var bytes = await mlflow.Http.GetByteArrayAsync($"/api/2.0/mlflow-artifacts/artifacts/{path}/MLmodel");

        Assert.Equal("2", version);
        Assert.Equal("MLmodel", (string)files.Single()!["path"]!);
        Assert.Equal("flavors: {}\n", Encoding.UTF8.GetString(bytes));
    }

    /// <summary>The client's own resolution of the three URI forms.</summary>
    private static async Task<string> ResolveAsync(MlflowClient mlflow, string uri)
    {
        var rest = uri["models:/".Length..];
        if (rest.Split('@') is [var name, var alias])
        {
            return (string)(await mlflow.GetAsync("registered-models/alias", ("name", name), ("alias", alias))).Ok()["model_version"]!["version"]!;
        }

        var (model, suffix) = (rest.Split('/')[0], rest.Split('/')[1]);
        if (int.TryParse(suffix, out _))
        {
            return suffix;
        }

        var latest = (await mlflow.OkAsync("registered-models/get-latest-versions", new { name = model, stages = new[] { suffix } }))["model_versions"]!;
        return (string)latest[0]!["version"]!;
    }
}
