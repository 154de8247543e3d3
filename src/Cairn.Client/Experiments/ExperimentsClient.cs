using System.Net;
using Cairn.Client.Transport;

namespace Cairn.Client.Experiments;

/// <summary>Experiments: create, find, search, rename, tag, delete and restore.</summary>
public sealed class ExperimentsClient
{
    private readonly MlflowTransport _transport;

    internal ExperimentsClient(MlflowTransport transport) => _transport = transport;

    /// <summary>Creates an experiment and returns its id.</summary>
    public async Task<string> CreateAsync(
        string name, IReadOnlyDictionary<string, string>? tags = null, string? artifactLocation = null, CancellationToken cancellationToken = default)
    {
        var answer = await _transport.PostAsync<ExperimentIdAnswer>(
            "experiments/create", new { name, artifact_location = artifactLocation, tags = WireTime.Pairs(tags) }, cancellationToken);
        return answer.ExperimentId;
    }

    /// <summary>Gets an experiment by id; throws <see cref="CairnApiException"/> when there is none.</summary>
    public async Task<Experiment> GetAsync(string experimentId, CancellationToken cancellationToken = default) =>
        Experiment.From((await _transport.GetAsync<ExperimentAnswer>("experiments/get", [("experiment_id", experimentId)], cancellationToken)).Experiment);

    /// <summary>Gets an experiment by name, or null when there is none.</summary>
    public async Task<Experiment?> FindByNameAsync(string name, CancellationToken cancellationToken = default)
    {
        try
        {
            var answer = await _transport.GetAsync<ExperimentAnswer>("experiments/get-by-name", [("experiment_name", name)], cancellationToken);
            return Experiment.From(answer.Experiment);
        }
        catch (CairnApiException e) when (e.StatusCode == HttpStatusCode.NotFound && e.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }
    }

    /// <summary>Returns the id of the experiment of that name, creating it first if there is none (as <c>mlflow.set_experiment</c> does).</summary>
    public async Task<string> GetOrCreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var existing = await FindByNameAsync(name, cancellationToken);
        if (existing is { IsDeleted: true })
        {
            throw new CairnApiException(HttpStatusCode.BadRequest, "INVALID_PARAMETER_VALUE", $"The experiment '{name}' is deleted; restore it or choose another name.");
        }

        return existing?.Id ?? await CreateAsync(name, cancellationToken: cancellationToken);
    }

    /// <summary>One page of experiments matching <paramref name="filter"/> (MLflow's grammar, such as <c>name LIKE 'team-%'</c>).</summary>
    public async Task<Page<Experiment>> SearchAsync(
        string? filter = null, IReadOnlyList<string>? orderBy = null, int maxResults = 1000, string? pageToken = null,
        ViewType viewType = ViewType.ActiveOnly, CancellationToken cancellationToken = default)
    {
        var answer = await _transport.PostAsync<ExperimentsAnswer>("experiments/search", new
        {
            filter,
            order_by = orderBy,
            max_results = maxResults,
            page_token = pageToken,
            view_type = viewType.Name(),
        }, cancellationToken);
        return new Page<Experiment>([.. (answer.Experiments ?? []).Select(Experiment.From)], NullIfEmpty(answer.NextPageToken));
    }

    /// <summary>Every experiment matching <paramref name="filter"/>, following the pages.</summary>
    public IAsyncEnumerable<Experiment> SearchAllAsync(
        string? filter = null, IReadOnlyList<string>? orderBy = null, ViewType viewType = ViewType.ActiveOnly,
        CancellationToken cancellationToken = default) =>
        Pages.FollowAsync((token, ct) => SearchAsync(filter, orderBy, 1000, token, viewType, ct), cancellationToken);

    /// <summary>Renames an experiment.</summary>
    public Task RenameAsync(string experimentId, string newName, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("experiments/update", new { experiment_id = experimentId, new_name = newName }, cancellationToken);

    /// <summary>Deletes an experiment (and its runs) softly; <see cref="RestoreAsync"/> brings it back.</summary>
    public Task DeleteAsync(string experimentId, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("experiments/delete", new { experiment_id = experimentId }, cancellationToken);

    /// <summary>Restores a deleted experiment and its runs.</summary>
    public Task RestoreAsync(string experimentId, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("experiments/restore", new { experiment_id = experimentId }, cancellationToken);

    /// <summary>Sets (or overwrites) a tag on an experiment.</summary>
    public Task SetTagAsync(string experimentId, string key, string value, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("experiments/set-experiment-tag", new { experiment_id = experimentId, key, value }, cancellationToken);

    internal static string? NullIfEmpty(string? token) => string.IsNullOrEmpty(token) ? null : token;
}
