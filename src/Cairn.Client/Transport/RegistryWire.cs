using System.Text.Json;

namespace Cairn.Client.Transport;

// The model registry's JSON shapes, as the server sends them; mapped onto the public records by their From methods.
internal sealed record WireAlias(string Alias, string Version);

internal sealed record WireModelVersion(
    string Name, string Version, long? CreationTimestamp, long? LastUpdatedTimestamp, string? UserId, string? CurrentStage, string? Description,
    string? Source, string? RunId, string? Status, string? StatusMessage, List<WireKeyValue>? Tags, string? RunLink, List<string>? Aliases);

internal sealed record WireRegisteredModel(
    string Name, long? CreationTimestamp, long? LastUpdatedTimestamp, string? UserId, string? Description,
    List<WireModelVersion>? LatestVersions, List<WireKeyValue>? Tags, List<WireAlias>? Aliases);

internal sealed record WireRegistryEvent(
    long Id, long Timestamp, string Actor, string Action, string ModelName, string? Version, string? Alias, JsonElement? Before, JsonElement? After);

internal sealed record RegisteredModelAnswer(WireRegisteredModel RegisteredModel);

internal sealed record RegisteredModelsAnswer(List<WireRegisteredModel>? RegisteredModels, string? NextPageToken);

internal sealed record ModelVersionAnswer(WireModelVersion ModelVersion);

internal sealed record ModelVersionsAnswer(List<WireModelVersion>? ModelVersions, string? NextPageToken);

internal sealed record DownloadUriAnswer(string ArtifactUri);

internal sealed record RegistryEventsAnswer(List<WireRegistryEvent>? Events, string? NextPageToken);
