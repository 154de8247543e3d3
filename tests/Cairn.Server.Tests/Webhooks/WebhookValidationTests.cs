using System.Net;
using Cairn.Server.Mlflow;
using Cairn.Server.Registry;

namespace Cairn.Server.Tests.Webhooks;

/// <summary>Refused webhooks: each answer names the bad field, and nothing is stored. One server for all the cases.</summary>
public sealed class WebhookValidationTests(WebhookValidationTests.Server server) : IClassFixture<WebhookValidationTests.Server>
{
    public static TheoryData<string, object, string> BadInputs => new()
    {
        { "ftp URL", new { name = "x", url = "ftp://example.com/hook", events = new[] { RegistryActions.ModelCreated } }, "'url'" },
        { "relative URL", new { name = "x", url = "/hook", events = new[] { RegistryActions.ModelCreated } }, "'url'" },
        { "not a URL", new { name = "x", url = "not a url", events = new[] { RegistryActions.ModelCreated } }, "'url'" },
        { "no URL", new { name = "x", events = new[] { RegistryActions.ModelCreated } }, "'url'" },
        { "unknown event", new { name = "x", url = "http://example.com", events = new[] { RegistryActions.ModelCreated, "model_version.promoted" } }, "'model_version.promoted' for parameter 'events'" },
        { "no events", new { name = "x", url = "http://example.com", events = Array.Empty<string>() }, "'events'" },
        { "no name", new { url = "http://example.com", events = new[] { RegistryActions.ModelCreated } }, "'name'" },
        { "blank secret", new { name = "x", url = "http://example.com", events = new[] { RegistryActions.ModelCreated }, secret = " " }, "'secret'" },
        { "unknown status", new { name = "x", url = "http://example.com", events = new[] { RegistryActions.ModelCreated }, status = "paused" }, "'status'" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public async Task Bad_input_is_refused_naming_the_field_and_nothing_is_stored(string _, object body, string mentions)
    {
        var response = await server.App.Api.PostAsync("webhooks", body);

        response.IsError(HttpStatusCode.BadRequest, ErrorCodes.InvalidParameterValue, mentions);
        Assert.Empty((await server.App.Api.GetAsync("webhooks")).Ok()["webhooks"]!.AsArray());
    }

    /// <summary>The shared server; every case leaves it without webhooks.</summary>
    public sealed class Server : IAsyncLifetime
    {
        public WebhookApp App { get; } = new();

        public Task InitializeAsync() => Task.CompletedTask;

        public Task DisposeAsync() => App.DisposeAsync().AsTask();
    }
}
