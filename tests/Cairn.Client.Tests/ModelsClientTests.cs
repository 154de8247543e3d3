using System.Net;
using Cairn.Client.Models;

namespace Cairn.Client.Tests;

public sealed class ModelsClientTests
{
    [Fact]
    public async Task Versions_register_from_a_run_and_carry_stage_tags_description_and_where_their_files_are()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var run = await client.Runs.CreateAsync("0");
        var model = await client.Models.CreateAsync("churn", "predicts churn", new Dictionary<string, string> { ["team"] = "growth" });

        var v1 = await client.Models.CreateVersionAsync("churn", $"runs:/{run.Id}/model", run.Id, new Dictionary<string, string> { ["data"] = "2024-06" }, "first");
        var v2 = await client.Models.CreateVersionAsync("churn", $"runs:/{run.Id}/model");
        await client.Models.UpdateVersionAsync("churn", 2, "second");
        await client.Models.SetVersionTagAsync("churn", 2, "validated", "yes");
        await client.Models.TransitionStageAsync("churn", 1, ModelStages.Production);
        var promoted = await client.Models.TransitionStageAsync("churn", 2, "production", archiveExistingVersions: true);
        var read = await client.Models.GetVersionAsync("churn", 2);
        var first = await client.Models.GetVersionAsync("churn", 1);
        var uri = await client.Models.GetDownloadUriAsync("churn", 2);
        var latest = await client.Models.GetLatestVersionsAsync("churn", [ModelStages.Production]);

        Assert.Equal(("churn", "predicts churn", "growth"), (model.Name, model.Description, model.Tags["team"]));
        Assert.Equal((1, ModelStages.None, run.Id, "first", "2024-06"), (v1.Version, v1.Stage, v1.RunId, v1.Description, v1.Tags["data"]));
        Assert.Equal(2, v2.Version);
        Assert.Equal(ModelStages.Production, promoted.Stage);
        Assert.Equal(("second", "yes"), (read.Description, read.Tags["validated"]));
        Assert.Equal(ModelStages.Archived, first.Stage);
        Assert.Equal($"{run.ArtifactUri}/model", uri);
        Assert.Equal([2], latest.Select(v => v.Version));
    }

    [Fact]
    public async Task Search_filters_orders_and_pages_models_and_versions()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        foreach (var name in new[] { "team-b", "team-a", "other", "team-c" })
        {
            await server.ModelWithVersionsAsync(name, 2);
        }

        var page = await client.Models.SearchAsync("name LIKE 'team-%'", ["name DESC"], maxResults: 2);
        var all = await client.Models.SearchAllAsync("name LIKE 'team-%'").ToListAsync();
        var versions = await client.Models.SearchVersionsAsync("name = 'team-a'", maxResults: 1);
        var allVersions = await client.Models.SearchAllVersionsAsync("version_number = 2", ["name ASC"]).ToListAsync();

        Assert.Equal(["team-c", "team-b"], page.Items.Select(m => m.Name));
        Assert.NotNull(page.NextPageToken);
        Assert.Equal(["team-a", "team-b", "team-c"], all.Select(m => m.Name));
        Assert.Equal(2, all[0].LatestVersions.Single().Version);
        Assert.Equal([("team-a", 2)], versions.Items.Select(v => (v.ModelName, v.Version)));
        Assert.NotNull(versions.NextPageToken);
        Assert.Equal(["other", "team-a", "team-b", "team-c"], allVersions.Select(v => v.ModelName));
    }

    [Fact]
    public async Task Rename_describe_tag_and_delete_change_the_model_and_its_versions()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        await client.Models.CreateAsync("draft", tags: new Dictionary<string, string> { ["stale"] = "1" });
        await client.Models.CreateVersionAsync("draft", "s3://bucket/m/1");
        await client.Models.CreateVersionAsync("draft", "s3://bucket/m/2");

        await client.Models.RenameAsync("draft", "final");
        var described = await client.Models.UpdateDescriptionAsync("final", "ready");
        await client.Models.SetTagAsync("final", "owner", "analyst-1");
        await client.Models.DeleteTagAsync("final", "stale");
        await client.Models.SetVersionTagAsync("final", 1, "k", "v");
        await client.Models.DeleteVersionTagAsync("final", 1, "k");
        await client.Models.DeleteVersionAsync("final", 2);
        var model = await client.Models.GetAsync("final");
        var tagless = await client.Models.GetVersionAsync("final", 1);
        var missingVersion = await Assert.ThrowsAsync<CairnApiException>(() => client.Models.GetVersionAsync("final", 2));
        await client.Models.DeleteAsync("final");
        var missingModel = await Assert.ThrowsAsync<CairnApiException>(() => client.Models.GetAsync("final"));

        Assert.Equal("ready", described.Description);
        Assert.Equal(new Dictionary<string, string> { ["owner"] = "analyst-1" }, model.Tags);
        Assert.Equal([1], model.LatestVersions.Select(v => v.Version));
        Assert.Empty(tagless.Tags);
        Assert.Equal((HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST"), (missingVersion.StatusCode, missingVersion.ErrorCode));
        Assert.Equal((HttpStatusCode.NotFound, "RESOURCE_DOES_NOT_EXIST"), (missingModel.StatusCode, missingModel.ErrorCode));
    }

    [Fact]
    public async Task A_stage_the_registry_does_not_have_is_an_invalid_parameter_error_naming_the_stages()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("m", 1);

        var error = await Assert.ThrowsAsync<CairnApiException>(() => client.Models.TransitionStageAsync("m", 1, "Prod"));

        Assert.Equal((HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE"), (error.StatusCode, error.ErrorCode));
        Assert.Contains("Production", error.ServerMessage, StringComparison.Ordinal);
        Assert.Equal(ModelStages.None, (await client.Models.GetVersionAsync("m", 1)).Stage);
    }
}
