namespace Cairn.Server.Registry;

/// <summary>
/// One registered version of a model. Version numbers count up from 1 per model and are never reused: a deleted
/// version stays as a hidden row so the next one takes a fresh number.
/// </summary>
public sealed class ModelVersion
{
    public int Id { get; set; }
    public int ModelId { get; set; }
    public RegisteredModel Model { get; set; } = null!;
    public int Version { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
    public string? UserId { get; set; }
    public string Stage { get; set; } = Stages.None;
    public string? Description { get; set; }
    public required string Source { get; set; }

    /// <summary>Where the files are: <see cref="Source"/> with <c>runs:/</c> and <c>models:/</c> URIs resolved at registration.</summary>
    public required string StorageLocation { get; set; }

    public string? RunId { get; set; }
    public string? RunLink { get; set; }

    /// <summary>The 3.x logged model (<c>m-…</c>) this version was registered from, if any.</summary>
    public string? LoggedModelId { get; set; }

    public string Status { get; set; } = "READY";
    public string? StatusMessage { get; set; }
    public bool Deleted { get; set; }
    public List<ModelVersionTag> Tags { get; set; } = [];
}

public sealed class ModelVersionTag
{
    public int ModelVersionId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>MLflow's (deprecated but still used) deployment stages; names match case-insensitively on input.</summary>
public static class Stages
{
    public const string None = "None";
    public const string Staging = "Staging";
    public const string Production = "Production";
    public const string Archived = "Archived";

    public static readonly string[] All = [None, Staging, Production, Archived];

    public static string? Canonical(string? stage) =>
        All.FirstOrDefault(s => string.Equals(s, stage?.Trim(), StringComparison.OrdinalIgnoreCase));
}
