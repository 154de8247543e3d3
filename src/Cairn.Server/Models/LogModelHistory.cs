using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;

namespace Cairn.Server.Models;

/// <summary>
/// The run tag <c>mlflow.log-model.history</c>: a JSON list with one entry per <c>runs/log-model</c> call, each the
/// MLmodel reduced as MLflow's stores reduce it (<c>Model.get_tags_dict</c>): run id, artifact path, creation time,
/// model uuid and the flavors without their <c>config</c>. Written as Python's <c>json.dumps</c> writes it, and held
/// to the run-tag value limit: a history that would pass it is refused (the MLflow client then warns and goes on).
/// </summary>
public static class LogModelHistory
{
    public const string Tag = "mlflow.log-model.history";

    private static readonly string[] RequiredFields = ["artifact_path", "flavors", "utc_time_created", "run_id"];

    /// <summary>Parses <c>model_json</c>: a JSON object with the fields MLflow's server requires, <c>flavors</c> an object.</summary>
    public static JsonObject ParseModel(string? modelJson)
    {
        var text = TrackingRules.Required(modelJson, "model_json");
        JsonNode? parsed;
        try
        {
            parsed = JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            throw MlflowException.InvalidParameter($"Malformed model info. \n {text} \n is not a valid JSON.");
        }

        if (parsed is not JsonObject model)
        {
            throw MlflowException.InvalidParameter($"Malformed model info. \n {text} \n is not a JSON object.");
        }

        var missing = RequiredFields.Where(field => !model.ContainsKey(field)).ToList();
        if (missing.Count > 0)
        {
            throw MlflowException.InvalidParameter($"Model json is missing mandatory fields: {{{string.Join(", ", missing.Select(f => $"'{f}'"))}}}");
        }

        return model["flavors"] is JsonObject
            ? model
            : throw MlflowException.InvalidParameter("Invalid value for 'flavors' in model json: expected an object mapping each flavor name to its configuration.");
    }

    /// <summary>
    /// <paramref name="previous"/> (the tag's current value, or null) with <paramref name="model"/>'s entry appended.
    /// Refuses a current value that is not a JSON list, and a result longer than a run tag may be.
    /// </summary>
    public static string Append(string? previous, JsonObject model, DateTime utcNow)
    {
        JsonArray history;
        try
        {
            history = previous is null ? [] : JsonNode.Parse(previous) as JsonArray ?? throw new JsonException();
        }
        catch (JsonException)
        {
            throw MlflowException.InvalidParameter($"The run's '{Tag}' tag is not a JSON list, so no model can be added to it. Delete or fix the tag first.");
        }

        history.Add(Entry(model, utcNow));
        var value = PythonJsonText.Write(history);
        TrackingRules.Length(value, $"tags.{Tag}", TrackingRules.MaxTagValueLength);
        return value;
    }

    /// <summary>The entry MLflow records: its fields in the order MLflow's <c>Model</c> writes them, flavors last.</summary>
    private static JsonObject Entry(JsonObject model, DateTime utcNow)
    {
        var entry = new JsonObject();
        if (model["run_id"] is { } runId)
        {
            entry["run_id"] = runId.DeepClone();
        }

        if (model["artifact_path"] is { } artifactPath)
        {
            entry["artifact_path"] = artifactPath.DeepClone();
        }

        entry["utc_time_created"] = CreationTime(model["utc_time_created"], utcNow);
        entry["model_uuid"] = model["model_uuid"]?.DeepClone();
        var flavors = new JsonObject();
        foreach (var (name, config) in model["flavors"]!.AsObject())
        {
            flavors[name] = config is JsonObject settings
                ? new JsonObject(settings.Where(s => s.Key != "config").Select(s => KeyValuePair.Create(s.Key, s.Value?.DeepClone())))
                : config?.DeepClone();
        }

        entry["flavors"] = flavors;
        return entry;
    }

    /// <summary>MLflow keeps the time as text, and takes the current time when none was sent.</summary>
    private static string CreationTime(JsonNode? sent, DateTime utcNow) => sent switch
    {
        null => utcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        JsonValue value when value.GetValueKind() == JsonValueKind.String && value.GetValue<string>() is { Length: > 0 } text => text,
        JsonValue value when value.GetValueKind() is JsonValueKind.String or JsonValueKind.False => utcNow.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture),
        _ => sent.ToJsonString(),
    };
}
