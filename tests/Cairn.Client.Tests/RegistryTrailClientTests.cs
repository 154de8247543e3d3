using Cairn.Client.Models;

namespace Cairn.Client.Tests;

public sealed class RegistryTrailClientTests
{
    [Fact]
    public async Task Rolling_back_an_alias_returns_it_to_where_it_was_before_its_last_real_move()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 3);
        await client.Models.SetAliasAsync("churn", "champion", 1);
        await client.Models.SetAliasAsync("churn", "champion", 3);
        await client.Models.SetAliasAsync("churn", "champion", 3);

        var rollback = await client.Models.RollbackAliasAsync("churn", "champion");
        var resolved = await client.Models.ResolveAliasAsync("churn", "champion");
        var again = await client.Models.RollbackAliasAsync("churn", "champion");

        Assert.Equal(new AliasRollback("churn", "champion", 3, 1), rollback);
        Assert.Equal(1, resolved.Version);
        Assert.Equal(["champion"], resolved.Aliases);
        Assert.Equal(new AliasRollback("churn", "champion", 1, 3), again);
        Assert.Equal(3, (await client.Models.GetAsync("churn")).Aliases["champion"]);
    }

    [Fact]
    public async Task Rolling_back_is_refused_clearly_when_there_is_nothing_to_go_back_to()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 2);
        await client.Models.SetAliasAsync("churn", "champion", 2);
        await client.Models.SetAliasAsync("churn", "challenger", 1);
        await client.Models.SetAliasAsync("churn", "challenger", 2);
        await client.Models.DeleteVersionAsync("churn", 1);

        var fresh = await Assert.ThrowsAsync<CairnApiException>(() => client.Models.RollbackAliasAsync("churn", "champion"));
        var missing = await Assert.ThrowsAsync<CairnApiException>(() => client.Models.RollbackAliasAsync("churn", "staging"));
        var gone = await Assert.ThrowsAsync<CairnApiException>(() => client.Models.RollbackAliasAsync("churn", "challenger"));

        Assert.Contains("no earlier version", fresh.Message, StringComparison.Ordinal);
        Assert.Contains("has no alias 'staging'", missing.Message, StringComparison.Ordinal);
        Assert.Contains("Cannot roll 'challenger' back to v1", gone.Message, StringComparison.Ordinal);
        Assert.Equal(2, (await client.Models.GetAsync("churn")).Aliases["challenger"]);
    }

    [Fact]
    public async Task The_audit_trail_lists_changes_newest_first_with_filters_and_pages()
    {
        await using var server = new CairnServer();
        var client = await server.ModelWithVersionsAsync("churn", 2);
        await server.ModelWithVersionsAsync("other", 1);
        await client.Models.TransitionStageAsync("churn", 2, ModelStages.Staging);
        await client.Models.SetAliasAsync("churn", "champion", 1);
        await client.Models.SetAliasAsync("churn", "champion", 2);

        var all = await client.Models.ListAllEventsAsync("churn").ToListAsync();
        var page = await client.Models.ListEventsAsync("churn", maxResults: 2);
        var moves = await client.Models.ListAllEventsAsync("churn", alias: "champion", action: RegistryActions.AliasSet).ToListAsync();
        var second = await client.Models.ListAllEventsAsync("churn", version: 2).ToListAsync();

        Assert.Equal(
            [RegistryActions.AliasSet, RegistryActions.AliasSet, RegistryActions.StageChanged, RegistryActions.VersionCreated, RegistryActions.VersionCreated, RegistryActions.ModelCreated],
            all.Select(e => e.Action));
        Assert.All(all, e => Assert.Equal(("churn", "anonymous"), (e.ModelName, e.Actor)));
        Assert.Equal(all.Take(2).Select(e => e.Id), page.Items.Select(e => e.Id));
        Assert.NotNull(page.NextPageToken);
        Assert.Equal("1", moves[0].Before?.GetProperty("version").GetString());
        Assert.Null(moves[1].Before);
        Assert.Equal([RegistryActions.AliasSet, RegistryActions.StageChanged, RegistryActions.VersionCreated], second.Select(e => e.Action));
    }
}
