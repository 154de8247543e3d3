using System.Text.RegularExpressions;
using Cairn.Server.Mlflow;

namespace Cairn.Server.Tracking;

/// <summary>MLflow's limits and key rules for tracking data (research/mlflow-api.md §10). Each failure names the field.</summary>
public static partial class TrackingRules
{
    public const int MaxKeyLength = 250;
    public const int MaxParamValueLength = 6000;
    public const int MaxTagValueLength = 8000;
    public const int MaxExperimentTagValueLength = 5000;
    public const int MaxExperimentNameLength = 500;
    public const int MaxBatchMetrics = 1000;
    public const int MaxBatchParams = 100;
    public const int MaxBatchTags = 100;
    public const int MaxBatchItems = 1000;
    public const int MaxDatasetNameLength = 500;
    public const int MaxDatasetDigestLength = 36;
    public const int MaxDatasetSourceLength = 65535;
    public const int MaxDatasetSchemaLength = 1048575;
    public const int MaxDatasetProfileLength = 16777215;
    public const int MaxInputTagKeyLength = 255;
    public const int MaxInputTagValueLength = 500;

    [GeneratedRegex(@"^[\w\-\. /:]*$")]
    private static partial Regex KeyCharacters();

    [GeneratedRegex(@"^[a-zA-Z0-9][\w\-]{0,255}$")]
    private static partial Regex RunIdFormat();

    public static string Required(string? value, string field) =>
        string.IsNullOrEmpty(value) ? throw MlflowException.MissingParameter(field) : value;

    public static T Required<T>(T? value, string field) where T : struct =>
        value ?? throw MlflowException.MissingParameter(field);

    /// <summary>A metric, param or tag key: MLflow's characters, at most 250 long, and a normalised relative path.</summary>
    public static void Key(string? key, string field, string what)
    {
        Required(key, field);
        if (!KeyCharacters().IsMatch(key!) || !IsNormalisedPath(key!))
        {
            throw MlflowException.InvalidParameter(
                $"Invalid value \"{key}\" for parameter '{field}' supplied: {what} names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colons (:) and slashes (/), and must be a normalised relative path.");
        }

        Length(key, field, MaxKeyLength);
    }

    public static void Length(string? value, string field, int max)
    {
        if (value is not null && value.Length > max)
        {
            throw MlflowException.InvalidParameter(
                $"'{field}' exceeds the maximum length of {max} characters (got {value.Length}).");
        }
    }

    /// <summary>
    /// A param or tag value cut to <paramref name="max"/> characters, as MLflow's server does by default
    /// (<c>MLFLOW_TRUNCATE_LONG_VALUES</c>): the client's value is kept as far as it fits instead of failing the whole call.
    /// </summary>
    public static string? Truncated(string? value, int max) =>
        value is not null && value.Length > max ? value[..max] : value;

    public static string RunId(string? runId, string field = "run_id")
    {
        Required(runId, field);
        return RunIdFormat().IsMatch(runId!)
            ? runId!
            : throw MlflowException.InvalidParameter($"Invalid value \"{runId}\" for parameter '{field}' supplied: not a run id.");
    }

    public static void Timestamp(long? timestamp, string field)
    {
        if (timestamp is < 0)
        {
            throw MlflowException.InvalidParameter($"Invalid value {timestamp} for parameter '{field}' supplied: a timestamp must be a non-negative number of milliseconds.");
        }
    }

    private static bool IsNormalisedPath(string key) =>
        key.Length > 0
        && !key.StartsWith('/')
        && !key.EndsWith('/')
        && !key.Contains("//", StringComparison.Ordinal)
        && key.Split('/').All(segment => segment is not ("." or ".."));
}
