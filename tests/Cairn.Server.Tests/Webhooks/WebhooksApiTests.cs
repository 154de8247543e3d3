using System.Net;
using Cairn.Server.Mlflow;
using Cairn.Server.Data;
using Cairn.Server.Registry;
using Cairn.Server.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Create, read, update and delete through <c>/api/v1/webhooks</c>; the secret leaves the server once.</summary>
public sealed class WebhooksApiTests
{
    [Fact]
    public async Task Create_answers_the_generated_secret_once_and_no_read_answers_it_again()
    {
        await using var app = new WebhookApp();

        var created = await app.Api.PostAsync("webhooks", new
        {
            name = "ci",
            url = "https://ci.example.com/hook",
            events = new[] { RegistryActions.VersionCreated, RegistryActions.AliasSet, RegistryActions.VersionCreated },
            description = "Build on new versions",
        });

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var webhook = created.Body!["webhook"]!;
        var id = (string)webhook["webhook_id"]!;
        Assert.True(((string)webhook["secret"]!).Length >= 40);
        Assert.Equal("active", (string?)webhook["status"]);
        Assert.Equal([RegistryActions.VersionCreated, RegistryActions.AliasSet], webhook["events"]!.AsArray().Select(e => (string)e!));
        var got = (await app.Api.GetAsync($"webhooks/{id}")).Ok()["webhook"]!;
        var listed = (await app.Api.GetAsync("webhooks")).Ok()["webhooks"]!.AsArray().Single()!;
        var patched = (await app.Api.SendAsync(HttpMethod.Patch, $"webhooks/{id}", new { secret = "rotated-secret" })).Ok()["webhook"]!;
        foreach (var answer in new[] { got, listed, patched })
        {
            Assert.Null(answer["secret"]);
            Assert.Equal("https://ci.example.com/hook", (string?)answer["url"]);
            Assert.Equal("Build on new versions", (string?)answer["description"]);
        }
    }

    [Fact]
    public async Task A_given_secret_is_answered_on_create_and_stored_only_encrypted()
    {
        await using var app = new WebhookApp();

        var (id, secret) = await app.CreateAsync("ci", "http://127.0.0.1:9/hook", [RegistryActions.ModelCreated], secret: "my-own-secret");
        (await app.Api.SendAsync(HttpMethod.Patch, $"webhooks/{id}", new { name = "renamed" })).Ok();

        Assert.Equal("my-own-secret", secret);
        using var scope = app.App.Services.CreateScope();
        var stored = await scope.ServiceProvider.GetRequiredService<CairnDb>().Webhooks.Select(w => w.Secret).SingleAsync();
        Assert.DoesNotContain("my-own-secret", stored, StringComparison.Ordinal);
        Assert.Equal("my-own-secret", scope.ServiceProvider.GetRequiredService<WebhookSecrets>().Reveal(stored));
    }

    [Fact]
    public async Task Patch_changes_only_the_fields_given_and_delete_removes_the_webhook()
    {
        await using var app = new WebhookApp();
        var (id, _) = await app.CreateAsync("ci", "http://127.0.0.1:9/hook", [RegistryActions.ModelCreated]);

        var patched = (await app.Api.SendAsync(HttpMethod.Patch, $"webhooks/{id}", new { status = "DISABLED", events = new[] { RegistryActions.StageChanged } })).Ok()["webhook"]!;
        var deleted = await app.Api.SendAsync(HttpMethod.Delete, $"webhooks/{id}", new { });
        var afterDelete = await app.Api.GetAsync($"webhooks/{id}");

        Assert.Equal("disabled", (string?)patched["status"]);
        Assert.Equal(RegistryActions.StageChanged, (string?)patched["events"]![0]);
        Assert.Equal("ci", (string?)patched["name"]);
        Assert.Equal("http://127.0.0.1:9/hook", (string?)patched["url"]);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        afterDelete.IsError(HttpStatusCode.NotFound, ErrorCodes.ResourceDoesNotExist, id);
        Assert.Empty((await app.Api.GetAsync("webhooks")).Ok()["webhooks"]!.AsArray());
    }

    [Fact]
    public async Task A_bad_patch_changes_nothing()
    {
        await using var app = new WebhookApp();
        var (id, _) = await app.CreateAsync("ci", "http://127.0.0.1:9/hook", [RegistryActions.ModelCreated]);

        var response = await app.Api.SendAsync(HttpMethod.Patch, $"webhooks/{id}", new { name = "renamed", url = "gopher://x" });

        response.IsError(HttpStatusCode.BadRequest, ErrorCodes.InvalidParameterValue, "'url'");
        Assert.Equal("ci", (string?)(await app.Api.GetAsync($"webhooks/{id}")).Ok()["webhook"]!["name"]);
    }

    [Fact]
    public async Task Every_route_answers_404_for_a_webhook_that_does_not_exist()
    {
        await using var app = new WebhookApp();

        var responses = new[]
        {
            await app.Api.GetAsync("webhooks/nope"),
            await app.Api.SendAsync(HttpMethod.Patch, "webhooks/nope", new { name = "x" }),
            await app.Api.SendAsync(HttpMethod.Delete, "webhooks/nope", new { }),
            await app.Api.GetAsync("webhooks/nope/deliveries"),
            await app.Api.PostAsync("webhooks/nope/test", new { }),
        };

        Assert.All(responses, r => r.IsError(HttpStatusCode.NotFound, ErrorCodes.ResourceDoesNotExist, "'nope'"));
    }
}
