using System.Globalization;
using Cairn.Server.Tracking;

namespace Cairn.Server.Registry;

public sealed record AliasJson(string Alias, string Version);

public sealed record RegisteredModelJson(
    string Name,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    string? Description,
    IReadOnlyList<ModelVersionJson>? LatestVersions,
    IReadOnlyList<KeyValue>? Tags,
    IReadOnlyList<AliasJson>? Aliases);

/// <summary>A model version on the wire: an empty description, run id or run link is sent as <c>""</c>, as MLflow sends it.</summary>
public sealed record ModelVersionJson(
    string Name,
    string Version,
    long CreationTimestamp,
    long LastUpdatedTimestamp,
    string? UserId,
    string CurrentStage,
    string? Description,
    string Source,
    string? RunId,
    string Status,
    string? StatusMessage,
    IReadOnlyList<KeyValue>? Tags,
    string? RunLink,
    IReadOnlyList<string>? Aliases,
    string? ModelId)
{
    public static ModelVersionJson From(ModelVersion v, string modelName, IEnumerable<ModelAlias> modelAliases) => new(
        modelName,
        v.Version.ToString(CultureInfo.InvariantCulture),
        v.CreationTime,
        v.LastUpdatedTime,
        v.UserId,
        v.Stage,
        v.Description ?? "",
        v.Source,
        v.RunId ?? "",
        v.Status,
        v.StatusMessage,
        v.Tags.Count == 0 ? null : [.. v.Tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new KeyValue(t.Key, t.Value))],
        v.RunLink ?? "",
        Nullable([.. modelAliases.Where(a => a.Version == v.Version).Select(a => a.Alias).Order(StringComparer.Ordinal)]),
        v.LoggedModelId);

    private static List<string>? Nullable(List<string> list) => list.Count == 0 ? null : list;
}

public class ModelNameRequest
{
    public string? Name { get; set; }
}

public sealed class CreateRegisteredModelRequest : ModelNameRequest
{
    public List<KeyValue>? Tags { get; set; }
    public string? Description { get; set; }
}

public sealed class RenameRegisteredModelRequest : ModelNameRequest
{
    public string? NewName { get; set; }
}

public sealed class UpdateDescriptionRequest : ModelNameRequest
{
    public string? Version { get; set; }
    public string? Description { get; set; }
}

public sealed class RegistryTagRequest : ModelNameRequest
{
    public string? Version { get; set; }
    public string? Key { get; set; }
    public string? Value { get; set; }
}

public sealed class AliasRequest : ModelNameRequest
{
    public string? Alias { get; set; }
    public string? Version { get; set; }
}

public class ModelVersionRequest : ModelNameRequest
{
    public string? Version { get; set; }
}

public sealed class TransitionStageRequest : ModelVersionRequest
{
    public string? Stage { get; set; }
    public bool? ArchiveExistingVersions { get; set; }
}

public sealed class LatestVersionsRequest : ModelNameRequest
{
    public List<string>? Stages { get; set; }
}

public sealed class CreateModelVersionRequest : ModelNameRequest
{
    public string? Source { get; set; }
    public string? RunId { get; set; }
    public List<KeyValue>? Tags { get; set; }
    public string? RunLink { get; set; }
    public string? Description { get; set; }
    public string? ModelId { get; set; }
}

public sealed class RegistrySearchRequest
{
    public string? Filter { get; set; }
    public long? MaxResults { get; set; }
    public List<string>? OrderBy { get; set; }
    public string? PageToken { get; set; }
}
