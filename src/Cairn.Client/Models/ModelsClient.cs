using Cairn.Client.Experiments;
using Cairn.Client.Transport;

namespace Cairn.Client.Models;

/// <summary>
/// The model registry: registered models, their versions, stages and aliases, and the audit trail of every change
/// (with <see cref="RollbackAliasAsync"/> built on it). Versions are numbers; stages are <see cref="ModelStages"/>.
/// </summary>
public sealed partial class ModelsClient
{
    private readonly MlflowTransport _transport;

    internal ModelsClient(MlflowTransport transport) => _transport = transport;

    /// <summary>Creates a registered model.</summary>
    public async Task<RegisteredModel> CreateAsync(
        string name, string? description = null, IReadOnlyDictionary<string, string>? tags = null, CancellationToken cancellationToken = default) =>
        RegisteredModel.From((await _transport.PostAsync<RegisteredModelAnswer>(
            "registered-models/create", new { name, description, tags = WireTime.Pairs(tags) }, cancellationToken)).RegisteredModel);

    /// <summary>Gets a registered model by name, with its aliases and latest version per stage; throws <see cref="CairnApiException"/> when there is none.</summary>
    public async Task<RegisteredModel> GetAsync(string name, CancellationToken cancellationToken = default) =>
        RegisteredModel.From((await _transport.GetAsync<RegisteredModelAnswer>("registered-models/get", [("name", name)], cancellationToken)).RegisteredModel);

    /// <summary>
    /// One page of registered models matching <paramref name="filter"/> (MLflow's grammar: <c>name LIKE 'churn-%'</c>,
    /// <c>tags.team = 'growth'</c>), ordered by <paramref name="orderBy"/> (<c>name</c>, <c>creation_timestamp</c>,
    /// <c>last_updated_timestamp</c>, each ASC or DESC; by name when empty).
    /// </summary>
    public async Task<Page<RegisteredModel>> SearchAsync(
        string? filter = null, IReadOnlyList<string>? orderBy = null, int maxResults = 1000, string? pageToken = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await _transport.PostAsync<RegisteredModelsAnswer>("registered-models/search", new
        {
            filter,
            order_by = orderBy,
            max_results = maxResults,
            page_token = pageToken,
        }, cancellationToken);
        return new Page<RegisteredModel>([.. (answer.RegisteredModels ?? []).Select(RegisteredModel.From)], ExperimentsClient.NullIfEmpty(answer.NextPageToken));
    }

    /// <summary>Every registered model matching the search, following the pages.</summary>
    public IAsyncEnumerable<RegisteredModel> SearchAllAsync(
        string? filter = null, IReadOnlyList<string>? orderBy = null, CancellationToken cancellationToken = default) =>
        Pages.FollowAsync((token, ct) => SearchAsync(filter, orderBy, 1000, token, ct), cancellationToken);

    /// <summary>Renames a registered model; its versions, aliases and audit trail follow it.</summary>
    public async Task<RegisteredModel> RenameAsync(string name, string newName, CancellationToken cancellationToken = default) =>
        RegisteredModel.From((await _transport.PostAsync<RegisteredModelAnswer>(
            "registered-models/rename", new { name, new_name = newName }, cancellationToken)).RegisteredModel);

    /// <summary>Replaces a registered model's description.</summary>
    public async Task<RegisteredModel> UpdateDescriptionAsync(string name, string description, CancellationToken cancellationToken = default) =>
        RegisteredModel.From((await _transport.SendJsonAsync<RegisteredModelAnswer>(
            HttpMethod.Patch, "registered-models/update", new { name, description }, cancellationToken)).RegisteredModel);

    /// <summary>Deletes a registered model and all its versions (not restorable; the audit trail keeps the record).</summary>
    public Task DeleteAsync(string name, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(HttpMethod.Delete, "registered-models/delete", new { name }, cancellationToken);

    /// <summary>Sets (or overwrites) a tag on a registered model.</summary>
    public Task SetTagAsync(string name, string key, string value, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("registered-models/set-tag", new { name, key, value }, cancellationToken);

    /// <summary>Deletes a tag from a registered model; deleting a tag that is not there is not an error.</summary>
    public Task DeleteTagAsync(string name, string key, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(HttpMethod.Delete, "registered-models/delete-tag", new { name, key }, cancellationToken);
}
