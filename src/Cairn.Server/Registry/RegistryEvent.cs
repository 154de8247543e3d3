namespace Cairn.Server.Registry;

/// <summary>
/// One entry of the registry's audit trail: who changed what, when, and the state before and after (JSON, null
/// where there was none). Written in the same transaction as the change itself, so the trail and the registry
/// never disagree; webhook deliveries are fanned out from these rows.
/// </summary>
public sealed class RegistryEvent
{
    public long Id { get; set; }
    public long Time { get; set; }
    public required string Actor { get; set; }

    /// <summary>What happened, named as MLflow's webhook events are (<c>model_version.created</c>, <c>model_version_alias.deleted</c>, …).</summary>
    public required string Action { get; set; }

    /// <summary>The model's id: stable across renames, kept after the model is deleted.</summary>
    public int ModelId { get; set; }

    /// <summary>The model's name when this happened.</summary>
    public required string ModelName { get; set; }

    public int? Version { get; set; }
    public string? Alias { get; set; }
    public string? Before { get; set; }
    public string? After { get; set; }
}

/// <summary>The audit actions; webhooks subscribe to them by these names.</summary>
public static class RegistryActions
{
    public const string ModelCreated = "registered_model.created";
    public const string ModelRenamed = "registered_model.renamed";
    public const string ModelUpdated = "registered_model.updated";
    public const string ModelDeleted = "registered_model.deleted";
    public const string ModelTagSet = "registered_model_tag.set";
    public const string ModelTagDeleted = "registered_model_tag.deleted";
    public const string VersionCreated = "model_version.created";
    public const string VersionUpdated = "model_version.updated";
    public const string VersionDeleted = "model_version.deleted";
    public const string StageChanged = "model_version.stage_changed";
    public const string VersionTagSet = "model_version_tag.set";
    public const string VersionTagDeleted = "model_version_tag.deleted";
    public const string AliasSet = "model_version_alias.created";
    public const string AliasDeleted = "model_version_alias.deleted";

    public static readonly string[] All =
    [
        ModelCreated, ModelRenamed, ModelUpdated, ModelDeleted, ModelTagSet, ModelTagDeleted,
        VersionCreated, VersionUpdated, VersionDeleted, StageChanged, VersionTagSet, VersionTagDeleted,
        AliasSet, AliasDeleted,
    ];
}
