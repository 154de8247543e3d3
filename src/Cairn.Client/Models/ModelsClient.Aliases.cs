using System.Globalization;
using System.Net;
using Cairn.Client.Experiments;
using Cairn.Client.Transport;

namespace Cairn.Client.Models;

// Aliases, the audit trail, and rolling an alias back along it.
public sealed partial class ModelsClient
{
    /// <summary>Points <paramref name="alias"/> (such as <c>champion</c>) at a version, creating it or moving it from where it was.</summary>
    public Task SetAliasAsync(string name, string alias, int version, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("registered-models/alias", new { name, alias, version = ModelVersion.Text(version) }, cancellationToken);

    /// <summary>Deletes an alias; deleting one that is not there is not an error.</summary>
    public Task DeleteAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(HttpMethod.Delete, "registered-models/alias", new { name, alias }, cancellationToken);

    /// <summary>The version <paramref name="alias"/> points at; throws <see cref="CairnApiException"/> when the model has no such alias.</summary>
    public async Task<ModelVersion> ResolveAliasAsync(string name, string alias, CancellationToken cancellationToken = default) =>
        ModelVersion.From((await _transport.GetAsync<ModelVersionAnswer>(
            "registered-models/alias", [("name", name), ("alias", alias)], cancellationToken)).ModelVersion);

    /// <summary>
    /// One page of the audit trail, newest first: every change to the registry, or only those of model <paramref name="name"/>
    /// (found by its current or a former name), <paramref name="version"/>, <paramref name="alias"/> or <paramref name="action"/>
    /// (one of <see cref="RegistryActions"/>).
    /// </summary>
    public async Task<Page<RegistryEvent>> ListEventsAsync(
        string? name = null, int? version = null, string? alias = null, string? action = null, int maxResults = 100, string? pageToken = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await _transport.GetNativeAsync<RegistryEventsAnswer>("registry/events",
        [
            ("name", name),
            ("version", version is null ? null : ModelVersion.Text(version.Value)),
            ("alias", alias),
            ("action", action),
            ("max_results", maxResults.ToString(CultureInfo.InvariantCulture)),
            ("page_token", pageToken),
        ], cancellationToken);
        return new Page<RegistryEvent>([.. (answer.Events ?? []).Select(RegistryEvent.From)], ExperimentsClient.NullIfEmpty(answer.NextPageToken));
    }

    /// <summary>Every matching entry of the audit trail, newest first, following the pages.</summary>
    public IAsyncEnumerable<RegistryEvent> ListAllEventsAsync(
        string? name = null, int? version = null, string? alias = null, string? action = null, CancellationToken cancellationToken = default) =>
        Pages.FollowAsync((token, ct) => ListEventsAsync(name, version, alias, action, 1000, token, ct), cancellationToken);

    /// <summary>
    /// Moves <paramref name="alias"/> back to the version it pointed at before its last move, as the audit trail recorded it
    /// (moves that left it where it was are skipped). Rolling back twice returns it to where it started.
    /// Throws <see cref="CairnApiException"/> when the alias does not exist, was never moved, or was moved since the trail was read.
    /// </summary>
    public async Task<AliasRollback> RollbackAliasAsync(string name, string alias, CancellationToken cancellationToken = default)
    {
        var model = await GetAsync(name, cancellationToken);
        if (!model.Aliases.TryGetValue(alias, out var current))
        {
            throw Refused($"Model '{model.Name}' has no alias '{alias}' to roll back.");
        }

        await foreach (var move in ListAllEventsAsync(model.Name, alias: alias, action: RegistryActions.AliasSet, cancellationToken: cancellationToken))
        {
            var before = RegistryEvent.AliasVersion(move.Before);
            var after = RegistryEvent.AliasVersion(move.After);
            if (before == after)
            {
                continue;
            }

            if (after != current)
            {
                throw Refused($"Alias '{alias}' points at v{current}, but its last recorded move was to v{after}; not rolling back.");
            }

            if (before is not { } previous)
            {
                throw Refused($"Alias '{alias}' has pointed at v{current} since it was created; there is no earlier version to roll back to.");
            }

            try
            {
                await SetAliasAsync(model.Name, alias, previous, cancellationToken);
            }
            catch (CairnApiException e) when (e.StatusCode == HttpStatusCode.NotFound)
            {
                throw new CairnApiException(e.StatusCode, e.ErrorCode, $"Cannot roll '{alias}' back to v{previous}: {e.ServerMessage}", e);
            }

            return new AliasRollback(model.Name, alias, current, previous);
        }

        throw Refused($"Alias '{alias}' has no recorded moves; there is nothing to roll back to.");
    }

    private static CairnApiException Refused(string message) => new(HttpStatusCode.BadRequest, "INVALID_STATE", message);
}
