using Cairn.Client.Experiments;
using Cairn.Client.Transport;

namespace Cairn.Client.Models;

// Model versions: register, read, search, describe, stage, tag, delete.
public sealed partial class ModelsClient
{
    /// <summary>
    /// Registers a new version of model <paramref name="name"/> from <paramref name="source"/>: <c>runs:/&lt;run&gt;/&lt;path&gt;</c>,
    /// <c>models:/&lt;name&gt;/&lt;version&gt;</c>, or a storage URI such as <c>mlflow-artifacts:/...</c> or <c>s3://...</c>.
    /// </summary>
    public async Task<ModelVersion> CreateVersionAsync(
        string name, string source, string? runId = null, IReadOnlyDictionary<string, string>? tags = null, string? description = null,
        CancellationToken cancellationToken = default) =>
        ModelVersion.From((await _transport.PostAsync<ModelVersionAnswer>(
            "model-versions/create", new { name, source, run_id = runId, tags = WireTime.Pairs(tags), description }, cancellationToken)).ModelVersion);

    /// <summary>Gets one version of a model; throws <see cref="CairnApiException"/> when there is none.</summary>
    public async Task<ModelVersion> GetVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        ModelVersion.From((await _transport.GetAsync<ModelVersionAnswer>(
            "model-versions/get", [("name", name), ("version", ModelVersion.Text(version))], cancellationToken)).ModelVersion);

    /// <summary>
    /// One page of model versions matching <paramref name="filter"/> (MLflow's grammar: <c>name = 'churn'</c>, <c>run_id = '...'</c>,
    /// <c>version_number &gt; 3</c>, <c>tags.validated = 'yes'</c>), by model name and newest version first unless
    /// <paramref name="orderBy"/> says otherwise.
    /// </summary>
    public async Task<Page<ModelVersion>> SearchVersionsAsync(
        string? filter = null, IReadOnlyList<string>? orderBy = null, int maxResults = 1000, string? pageToken = null,
        CancellationToken cancellationToken = default)
    {
        var answer = await _transport.PostAsync<ModelVersionsAnswer>("model-versions/search", new
        {
            filter,
            order_by = orderBy,
            max_results = maxResults,
            page_token = pageToken,
        }, cancellationToken);
        return new Page<ModelVersion>([.. (answer.ModelVersions ?? []).Select(ModelVersion.From)], ExperimentsClient.NullIfEmpty(answer.NextPageToken));
    }

    /// <summary>Every model version matching the search, following the pages.</summary>
    public IAsyncEnumerable<ModelVersion> SearchAllVersionsAsync(
        string? filter = null, IReadOnlyList<string>? orderBy = null, CancellationToken cancellationToken = default) =>
        Pages.FollowAsync((token, ct) => SearchVersionsAsync(filter, orderBy, 1000, token, ct), cancellationToken);

    /// <summary>The newest version in each of <paramref name="stages"/> (every stage when null or empty), in version order.</summary>
    public async Task<IReadOnlyList<ModelVersion>> GetLatestVersionsAsync(
        string name, IReadOnlyList<string>? stages = null, CancellationToken cancellationToken = default)
    {
        var answer = await _transport.PostAsync<ModelVersionsAnswer>(
            "registered-models/get-latest-versions", new { name, stages = stages ?? [] }, cancellationToken);
        return [.. (answer.ModelVersions ?? []).Select(ModelVersion.From)];
    }

    /// <summary>Replaces a version's description.</summary>
    public async Task<ModelVersion> UpdateVersionAsync(string name, int version, string description, CancellationToken cancellationToken = default) =>
        ModelVersion.From((await _transport.SendJsonAsync<ModelVersionAnswer>(
            HttpMethod.Patch, "model-versions/update", new { name, version = ModelVersion.Text(version), description }, cancellationToken)).ModelVersion);

    /// <summary>Deletes a version; aliases pointing at it go with it, and its number is never reused.</summary>
    public Task DeleteVersionAsync(string name, int version, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(HttpMethod.Delete, "model-versions/delete", new { name, version = ModelVersion.Text(version) }, cancellationToken);

    /// <summary>
    /// Moves a version to <paramref name="stage"/> (one of <see cref="ModelStages"/>); with <paramref name="archiveExistingVersions"/>,
    /// the model's other versions in that stage (Staging or Production only) move to Archived in the same change.
    /// </summary>
    public async Task<ModelVersion> TransitionStageAsync(
        string name, int version, string stage, bool archiveExistingVersions = false, CancellationToken cancellationToken = default) =>
        ModelVersion.From((await _transport.PostAsync<ModelVersionAnswer>("model-versions/transition-stage", new
        {
            name,
            version = ModelVersion.Text(version),
            stage,
            archive_existing_versions = archiveExistingVersions,
        }, cancellationToken)).ModelVersion);

    /// <summary>Sets (or overwrites) a tag on a version.</summary>
    public Task SetVersionTagAsync(string name, int version, string key, string value, CancellationToken cancellationToken = default) =>
        _transport.PostAsync("model-versions/set-tag", new { name, version = ModelVersion.Text(version), key, value }, cancellationToken);

    /// <summary>Deletes a tag from a version; deleting a tag that is not there is not an error.</summary>
    public Task DeleteVersionTagAsync(string name, int version, string key, CancellationToken cancellationToken = default) =>
        _transport.SendJsonAsync(HttpMethod.Delete, "model-versions/delete-tag", new { name, version = ModelVersion.Text(version), key }, cancellationToken);

    /// <summary>Where a version's files are: its source with <c>runs:/</c> and <c>models:/</c> resolved to a storage URI.</summary>
    public async Task<string> GetDownloadUriAsync(string name, int version, CancellationToken cancellationToken = default)
    {
        var uri = (await _transport.GetAsync<DownloadUriAnswer>(
            "model-versions/get-download-uri", [("name", name), ("version", ModelVersion.Text(version))], cancellationToken)).ArtifactUri;
        if (!uri.StartsWith("runs:/", StringComparison.Ordinal))
        {
            return uri;
        }

        // The server answers a runs:/ source as it is, as MLflow's does; the run's artifact root says where that is.
        var rest = uri["runs:/".Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        var runId = slash < 0 ? rest : rest[..slash];
        var root = (await _transport.GetAsync<RunAnswer>("runs/get", [("run_id", runId)], cancellationToken)).Run.Info.ArtifactUri ?? "";
        return slash < 0 ? root : $"{root.TrimEnd('/')}/{rest[(slash + 1)..]}";
    }
}
