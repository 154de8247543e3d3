using System.Net;

namespace Cairn.Client.Tests;

public sealed class ExperimentsClientTests
{
    [Fact]
    public async Task Create_get_and_find_by_name_return_the_same_experiment()
    {
        await using var server = new CairnServer();
        var client = server.Client();

        var id = await client.Experiments.CreateAsync("churn", new Dictionary<string, string> { ["team"] = "growth" });
        var byId = await client.Experiments.GetAsync(id);
        var byName = await client.Experiments.FindByNameAsync("churn");

        Assert.Equal("churn", byId.Name);
        Assert.Equal("growth", byId.Tags["team"]);
        Assert.Equal($"mlflow-artifacts:/{id}", byId.ArtifactLocation);
        Assert.Equal(id, byName?.Id);
        Assert.Null(await client.Experiments.FindByNameAsync("nothing"));
    }

    [Fact]
    public async Task Get_or_create_creates_once()
    {
        await using var server = new CairnServer();
        var client = server.Client();

        var first = await client.Experiments.GetOrCreateAsync("once");
        var second = await client.Experiments.GetOrCreateAsync("once");

        Assert.Equal(first, second);
    }

    [Fact]
    public async Task Errors_carry_the_status_and_the_servers_error_code()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        await client.Experiments.CreateAsync("taken");

        var error = await Assert.ThrowsAsync<CairnApiException>(() => client.Experiments.CreateAsync("taken"));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("RESOURCE_ALREADY_EXISTS", error.ErrorCode);
        Assert.Contains("taken", error.ServerMessage, StringComparison.Ordinal);
        Assert.False(error.IsTransient);
    }

    [Fact]
    public async Task An_unreachable_server_is_a_transient_error()
    {
        var client = new CairnClient(new HttpClient { BaseAddress = new Uri("http://127.0.0.1:9/") });

        var error = await Assert.ThrowsAsync<CairnApiException>(() => client.Experiments.GetAsync("0"));

        Assert.True(error.IsTransient);
        Assert.Equal((HttpStatusCode)0, error.StatusCode);
    }

    [Fact]
    public async Task Search_all_follows_pages_and_honours_filter_and_view_type()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await client.Experiments.CreateAsync($"team-a/{i}"));
        }

        await client.Experiments.DeleteAsync(ids[0]);
        var page = await client.Experiments.SearchAsync("name LIKE 'team-a/%'", ["name ASC"], maxResults: 2);
        var active = await client.Experiments.SearchAllAsync("name LIKE 'team-a/%'", ["name ASC"]).ToListAsync();
        var deleted = await client.Experiments.SearchAllAsync(viewType: ViewType.DeletedOnly).ToListAsync();

        Assert.Equal(["team-a/1", "team-a/2"], page.Items.Select(e => e.Name));
        Assert.NotNull(page.NextPageToken);
        Assert.Equal(["team-a/1", "team-a/2", "team-a/3", "team-a/4"], active.Select(e => e.Name));
        Assert.Equal(ids[0], Assert.Single(deleted).Id);
    }

    [Fact]
    public async Task Rename_restore_and_tag_change_what_get_returns()
    {
        await using var server = new CairnServer();
        var client = server.Client();
        var id = await client.Experiments.CreateAsync("before");

        await client.Experiments.RenameAsync(id, "after");
        await client.Experiments.SetTagAsync(id, "k", "v");
        await client.Experiments.DeleteAsync(id);
        var deleted = await client.Experiments.GetAsync(id);
        await client.Experiments.RestoreAsync(id);
        var restored = await client.Experiments.GetAsync(id);

        Assert.True(deleted.IsDeleted);
        Assert.False(restored.IsDeleted);
        Assert.Equal("after", restored.Name);
        Assert.Equal("v", restored.Tags["k"]);
    }
}
