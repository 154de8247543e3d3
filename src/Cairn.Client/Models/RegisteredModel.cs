using Cairn.Client.Transport;

namespace Cairn.Client.Models;

/// <summary>A registered model: a name under which versions are registered, with aliases and tags.</summary>
/// <param name="Name">The unique name.</param>
/// <param name="Description">Its description ("" when none).</param>
/// <param name="UserId">Who created it ("" when anonymous).</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it or one of its versions last changed.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Aliases">Its aliases, each to the version number it points at.</param>
/// <param name="LatestVersions">The newest version in each stage, in version order.</param>
public sealed record RegisteredModel(
    string Name,
    string Description,
    string UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyDictionary<string, int> Aliases,
    IReadOnlyList<ModelVersion> LatestVersions)
{
    internal static RegisteredModel From(WireRegisteredModel m) => new(
        m.Name,
        m.Description ?? "",
        m.UserId ?? "",
        WireTime.From(m.CreationTimestamp),
        WireTime.From(m.LastUpdatedTimestamp),
        WireTime.Map(m.Tags),
        (m.Aliases ?? []).ToDictionary(a => a.Alias, a => ModelVersion.Number(a.Version), StringComparer.Ordinal),
        [.. (m.LatestVersions ?? []).Select(ModelVersion.From)]);
}
