namespace Cairn.Server.Registry;

/// <summary>A named model in the registry; its versions, tags and aliases go with it when it is renamed or deleted.</summary>
public sealed class RegisteredModel
{
    public int Id { get; set; }
    public required string Name { get; set; }
    public string? Description { get; set; }
    public string? UserId { get; set; }
    public long CreationTime { get; set; }
    public long LastUpdatedTime { get; set; }
    public List<RegisteredModelTag> Tags { get; set; } = [];
    public List<ModelAlias> Aliases { get; set; } = [];
}

public sealed class RegisteredModelTag
{
    public int ModelId { get; set; }
    public required string Key { get; set; }
    public required string Value { get; set; }
}

/// <summary>A named pointer (<c>champion</c>) to one version of a model.</summary>
public sealed class ModelAlias
{
    public int ModelId { get; set; }
    public required string Alias { get; set; }
    public int Version { get; set; }
}
