using System.Text.Json;
using Cairn.Client.Transport;

namespace Cairn.Client.Models;

/// <summary>The actions the registry's audit trail records, named as MLflow's webhook events are.</summary>
public static class RegistryActions
{
    /// <summary>A model was created.</summary>
    public const string ModelCreated = "registered_model.created";

    /// <summary>A model was renamed; before and after hold <c>{name}</c>.</summary>
    public const string ModelRenamed = "registered_model.renamed";

    /// <summary>A model's description changed; before and after hold <c>{description}</c>.</summary>
    public const string ModelUpdated = "registered_model.updated";

    /// <summary>A model was deleted with its versions.</summary>
    public const string ModelDeleted = "registered_model.deleted";

    /// <summary>A model tag was set; before and after hold <c>{key, value}</c>.</summary>
    public const string ModelTagSet = "registered_model_tag.set";

    /// <summary>A model tag was deleted.</summary>
    public const string ModelTagDeleted = "registered_model_tag.deleted";

    /// <summary>A version was registered.</summary>
    public const string VersionCreated = "model_version.created";

    /// <summary>A version's description changed.</summary>
    public const string VersionUpdated = "model_version.updated";

    /// <summary>A version was deleted.</summary>
    public const string VersionDeleted = "model_version.deleted";

    /// <summary>A version changed stage; before and after hold <c>{current_stage}</c>.</summary>
    public const string StageChanged = "model_version.stage_changed";

    /// <summary>A version tag was set.</summary>
    public const string VersionTagSet = "model_version_tag.set";

    /// <summary>A version tag was deleted.</summary>
    public const string VersionTagDeleted = "model_version_tag.deleted";

    /// <summary>An alias was set or moved; before (null when the alias was new) and after hold <c>{alias, version}</c>.</summary>
    public const string AliasSet = "model_version_alias.created";

    /// <summary>An alias was deleted (also when its version was).</summary>
    public const string AliasDeleted = "model_version_alias.deleted";
}

/// <summary>One entry of the registry's audit trail.</summary>
/// <param name="Id">Its position in the trail: later entries have larger ids.</param>
/// <param name="Time">When it happened.</param>
/// <param name="Actor">Who did it: the HTTP basic-auth user, or <c>anonymous</c>.</param>
/// <param name="Action">What happened, one of <see cref="RegistryActions"/>.</param>
/// <param name="ModelName">The model's name at the time.</param>
/// <param name="Version">The version it concerns, or null.</param>
/// <param name="Alias">The alias it concerns, or null.</param>
/// <param name="Before">The state before, as JSON; null where there was none.</param>
/// <param name="After">The state after, as JSON; null where there is none.</param>
public sealed record RegistryEvent(
    long Id, DateTimeOffset Time, string Actor, string Action, string ModelName, int? Version, string? Alias, JsonElement? Before, JsonElement? After)
{
    internal static RegistryEvent From(WireRegistryEvent e) => new(
        e.Id, WireTime.From(e.Timestamp), e.Actor, e.Action, e.ModelName,
        e.Version is null ? null : ModelVersion.Number(e.Version), e.Alias, e.Before, e.After);

    /// <summary>The version an alias pointed at in <paramref name="state"/> (<c>{alias, version}</c>), or null.</summary>
    internal static int? AliasVersion(JsonElement? state) =>
        state is { ValueKind: JsonValueKind.Object } s && s.TryGetProperty("version", out var v) && v.GetString() is { } text ? ModelVersion.Number(text) : null;
}

/// <summary>What <see cref="ModelsClient.RollbackAliasAsync"/> did.</summary>
/// <param name="ModelName">The model.</param>
/// <param name="Alias">The alias that moved.</param>
/// <param name="FromVersion">The version it pointed at before the rollback.</param>
/// <param name="ToVersion">The version it points at now: the one it pointed at before its last move.</param>
public sealed record AliasRollback(string ModelName, string Alias, int FromVersion, int ToVersion);
