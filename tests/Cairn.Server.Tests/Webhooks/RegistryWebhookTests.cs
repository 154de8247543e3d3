using Cairn.Server.Registry;
using Cairn.Server.Tests.Registry;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>End to end: MLflow registry calls produce the deliveries an MLflow webhook receiver expects.</summary>
public sealed class RegistryWebhookTests
{
    [Fact]
    public async Task Creating_a_model_a_version_and_moving_an_alias_delivers_mlflow_shaped_events_in_order()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new WebhookApp();
        await app.CreateAsync("all", receiver.Url("all"), RegistryActions.All);
        var mlflow = app.App.Mlflow();

        await mlflow.CreateModelAsync("churn", description: "Churn classifier");
        var runId = await mlflow.CreateRunAsync("0");
        await mlflow.OkAsync("model-versions/create", new { name = "churn", source = $"runs:/{runId}/model", run_id = runId, tags = new[] { new { key = "team", value = "growth" } } });
        await mlflow.CreateVersionAsync("churn");
        await mlflow.SetAliasAsync("churn", "champion", 1);
        await mlflow.SetAliasAsync("churn", "champion", 2);

        var received = (await receiver.WaitForAsync("all", 5)).OrderBy(r => r.EventId).ToList();

        Assert.Equal(
            [RegistryActions.ModelCreated, RegistryActions.VersionCreated, RegistryActions.VersionCreated, RegistryActions.AliasSet, RegistryActions.AliasSet],
            received.Select(r => r.Event));
        var model = received[0].Json["data"]!;
        Assert.Equal("churn", (string?)model["name"]);
        Assert.Equal("Churn classifier", (string?)model["description"]);
        Assert.NotNull(model["tags"]);
        var version = received[1].Json["data"]!;
        Assert.Equal("1", (string?)version["version"]);
        Assert.Equal($"runs:/{runId}/model", (string?)version["source"]);
        Assert.Equal(runId, (string?)version["run_id"]);
        Assert.Equal("growth", (string?)version["tags"]!["team"]);
        var move = received[4].Json["data"]!;
        Assert.Equal("champion", (string?)move["alias"]);
        Assert.Equal("2", (string?)move["version"]);
        Assert.Equal("1", (string?)move["before"]!["version"]);
        Assert.Equal("2", (string?)move["after"]!["version"]);
        Assert.Equal("anonymous", (string?)move["actor"]);
    }
}
