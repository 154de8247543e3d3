using System.Globalization;
using Cairn.Client.Transport;

namespace Cairn.Client.Models;

/// <summary>The registry's deployment stages (deprecated in MLflow in favour of aliases, still widely used); the server matches them case-insensitively.</summary>
public static class ModelStages
{
    /// <summary>Not in any stage: where a new version starts.</summary>
    public const string None = "None";

    /// <summary>Being tested before production.</summary>
    public const string Staging = "Staging";

    /// <summary>Serving.</summary>
    public const string Production = "Production";

    /// <summary>Retired.</summary>
    public const string Archived = "Archived";
}

/// <summary>One registered version of a model.</summary>
/// <param name="ModelName">The registered model it belongs to.</param>
/// <param name="Version">Its number: counting up from 1 per model, never reused.</param>
/// <param name="Stage">Its stage, one of <see cref="ModelStages"/>.</param>
/// <param name="Description">Its description ("" when none).</param>
/// <param name="Source">Where it was registered from, such as <c>runs:/&lt;run&gt;/model</c>.</param>
/// <param name="RunId">The run that produced it, or null.</param>
/// <param name="Status">MLflow's registration status; <c>READY</c> on Cairn.</param>
/// <param name="UserId">Who registered it ("" when anonymous).</param>
/// <param name="CreatedAt">When it was registered.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Aliases">The model's aliases that point at it.</param>
public sealed record ModelVersion(
    string ModelName,
    int Version,
    string Stage,
    string Description,
    string Source,
    string? RunId,
    string Status,
    string UserId,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, string> Tags,
    IReadOnlyList<string> Aliases)
{
    internal static ModelVersion From(WireModelVersion v) => new(
        v.Name,
        Number(v.Version),
        v.CurrentStage ?? ModelStages.None,
        v.Description ?? "",
        v.Source ?? "",
        string.IsNullOrEmpty(v.RunId) ? null : v.RunId,
        v.Status ?? "",
        v.UserId ?? "",
        WireTime.From(v.CreationTimestamp),
        WireTime.From(v.LastUpdatedTimestamp),
        WireTime.Map(v.Tags),
        v.Aliases ?? []);

    internal static int Number(string version) => int.Parse(version, NumberStyles.None, CultureInfo.InvariantCulture);

    internal static string Text(int version) => version.ToString(CultureInfo.InvariantCulture);
}
