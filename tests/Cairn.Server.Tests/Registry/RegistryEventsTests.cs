using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Registry;

public sealed class RegistryEventsTests
{
    [Fact]
    public async Task Every_registry_change_is_recorded_with_actor_time_before_and_after()
    {
        await using var app = new CairnApp();
        var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("analyst-1:secret")));
        var mlflow = new MlflowClient(http, "/api/2.0/mlflow");
        await mlflow.CreateModelAsync("m");
        await mlflow.CreateVersionAsync("m");
        await mlflow.OkAsync("registered-models/set-tag", new { name = "m", key = "k", value = "v" });
        await mlflow.OkAsync("model-versions/set-tag", new { name = "m", version = "1", key = "k", value = "v" });
        await mlflow.SendAsync(HttpMethod.Patch, "registered-models/update", new { name = "m", description = "d" });
        await mlflow.SendAsync(HttpMethod.Patch, "model-versions/update", new { name = "m", version = "1", description = "d" });
        await mlflow.OkAsync("model-versions/transition-stage", new { name = "m", version = "1", stage = "Staging" });
        await mlflow.SetAliasAsync("m", "champion", 1);
        await mlflow.SendAsync(HttpMethod.Delete, "registered-models/alias", new { name = "m", alias = "champion" });
        await mlflow.SendAsync(HttpMethod.Delete, "model-versions/delete", new { name = "m", version = "1" });
        await mlflow.SendAsync(HttpMethod.Delete, "registered-models/delete", new { name = "m" });

        var events = (await mlflow.EventsAsync(("name", "m"))).Reverse().ToList();

        Assert.Equal(
            [
                "registered_model.created", "model_version.created", "registered_model_tag.set", "model_version_tag.set",
                "registered_model.updated", "model_version.updated", "model_version.stage_changed", "model_version_alias.created",
                "model_version_alias.deleted", "model_version.deleted", "registered_model.deleted",
            ],
            events.Select(e => (string)e!["action"]!));
        Assert.All(events, e => Assert.Equal("analyst-1", (string)e!["actor"]!));
        Assert.All(events, e => Assert.True((long)e!["timestamp"]! > 0));
        var stage = events.Single(e => (string)e!["action"]! == "model_version.stage_changed")!;
        Assert.Equal("None", (string)stage["before"]!["current_stage"]!);
        Assert.Equal("Staging", (string)stage["after"]!["current_stage"]!);
        Assert.Equal("m", (string)events[^1]!["before"]!["name"]!);
    }

    [Fact]
    public async Task A_models_trail_follows_it_across_a_rename_and_without_credentials_the_actor_is_anonymous()
    {
        await using var app = new CairnApp();
        var mlflow = app.Mlflow();
        await mlflow.CreateModelAsync("old");
        await mlflow.OkAsync("registered-models/rename", new { name = "old", new_name = "new" });
        await mlflow.CreateVersionAsync("new");

        var byOld = await mlflow.EventsAsync(("name", "old"));
        var byNew = await mlflow.EventsAsync(("name", "new"));

        Assert.Equal(3, byOld.Count);
        Assert.Equal(3, byNew.Count);
        Assert.Equal("anonymous", (string)byNew[0]!["actor"]!);
        Assert.Equal("old", (string)byNew[1]!["before"]!["name"]!);
    }

    [Fact]
    public async Task An_unknown_action_filter_is_invalid_parameter_value()
    {
        await using var app = new CairnApp();

        var response = await new MlflowClient(app.CreateClient(), "/api/v1/registry").GetAsync("events", ("action", "model.exploded"));

        response.IsError(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", "'action'");
    }
}
