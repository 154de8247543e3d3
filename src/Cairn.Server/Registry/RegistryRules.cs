using System.Globalization;
using System.Text.RegularExpressions;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;

namespace Cairn.Server.Registry;

/// <summary>MLflow's rules for registry names, versions, aliases, stages and tags; each failure names the field.</summary>
public static partial class RegistryRules
{
    public const int MaxNameLength = 256;
    public const int MaxAliasLength = 255;
    public const int MaxTagKeyLength = 250;
    public const int MaxTagValueLength = 5000;
    public const int MaxDescriptionLength = 65535;

    [GeneratedRegex(@"^[\w\-]*$")]
    private static partial Regex AliasCharacters();

    [GeneratedRegex(@"^[vV]\d+$")]
    private static partial Regex VersionLike();

    /// <summary>A model name: not empty, at most 256 characters, and nothing that would change a <c>models:/</c> URI's meaning.</summary>
    public static string Name(string? name, string field = "name")
    {
        TrackingRules.Required(name, field);
        TrackingRules.Length(name, field, MaxNameLength);
        if (name!.IndexOfAny(['/', '\\', ':', '%', '\0']) >= 0 || name.Any(char.IsControl) || name.Trim() != name)
        {
            throw MlflowException.InvalidParameter(
                $"Invalid value \"{name}\" for parameter '{field}' supplied: model names may not contain '/', '\\', ':', '%', control characters, or leading or trailing spaces.");
        }

        return name;
    }

    public static int Version(string? version, string field = "version")
    {
        TrackingRules.Required(version, field);
        // Any integer is a version number; one no version has (0, -1) is then not found (404), as MLflow answers it.
        return int.TryParse(version, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw MlflowException.InvalidParameter($"Parameter '{field}' must be an integer, got '{version}'.");
    }

    public static string Alias(string? alias)
    {
        if (string.IsNullOrEmpty(alias))
        {
            throw MlflowException.InvalidParameter("Registered model alias name cannot be empty.");
        }

        if (!AliasCharacters().IsMatch(alias))
        {
            throw MlflowException.InvalidParameter($"Invalid alias name: '{alias}'. Names may only contain alphanumerics, underscores (_), and dashes (-).");
        }

        TrackingRules.Length(alias, "alias", MaxAliasLength);
        if (alias.Equals("latest", StringComparison.OrdinalIgnoreCase))
        {
            throw MlflowException.InvalidParameter("'latest' alias name (case insensitive) is reserved.");
        }

        return VersionLike().IsMatch(alias)
            ? throw MlflowException.InvalidParameter($"Version alias name '{alias}' is reserved.")
            : alias;
    }

    public static string Stage(string? stage, string field = "stage") =>
        Stages.Canonical(TrackingRules.Required(stage, field))
        ?? throw MlflowException.InvalidParameter(
            $"Invalid Model Version stage: {stage}. Value must be one of {string.Join(", ", Stages.All)}.");

    public static (string Key, string Value) Tag(string? key, string? value, string field = "key")
    {
        TrackingRules.Key(key, field, "tag");
        TrackingRules.Length(value, "value", MaxTagValueLength);
        return (key!, value ?? "");
    }

    public static string? Description(string? description)
    {
        TrackingRules.Length(description, "description", MaxDescriptionLength);
        return description;
    }
}
