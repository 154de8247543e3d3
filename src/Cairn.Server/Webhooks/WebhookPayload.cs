using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Server.Mlflow;
using Cairn.Server.Registry;

namespace Cairn.Server.Webhooks;

/// <summary>
/// The JSON body of a delivery, in MLflow 3.x's shape: <c>{"entity", "action", "timestamp", "data"}</c>, where
/// <c>model_version_alias.created</c> is entity <c>model_version_alias</c> and action <c>created</c>, the timestamp is
/// ISO 8601 UTC, and data holds MLflow's fields for the event (<c>name</c>, <c>version</c> as a string, <c>alias</c>,
/// and from the entity's state <c>source</c>, <c>run_id</c>, <c>description</c>, <c>tags</c> as a map, a tag's
/// <c>key</c> and <c>value</c>). Cairn adds the audit row's <c>event_id</c>, <c>actor</c>, <c>before</c> and <c>after</c>.
/// </summary>
public static class WebhookPayload
{
    private static readonly string[] StateFields = ["source", "run_id", "description", "tags", "key", "value"];

    /// <summary>The fields MLflow's payload types declare for each event it sends, present here even when empty.</summary>
    private static readonly Dictionary<string, string[]> MlflowFields = new(StringComparer.Ordinal)
    {
        [RegistryActions.ModelCreated] = ["tags", "description"],
        [RegistryActions.VersionCreated] = ["source", "run_id", "tags", "description"],
        [RegistryActions.VersionTagSet] = ["key", "value"],
        [RegistryActions.VersionTagDeleted] = ["key"],
    };

    public static string For(RegistryEvent registryEvent)
    {
        var before = Parse(registryEvent.Before);
        var after = Parse(registryEvent.After);
        var data = new JsonObject { ["name"] = registryEvent.ModelName };
        if (registryEvent.Version is { } version)
        {
            data["version"] = version.ToString(CultureInfo.InvariantCulture);
        }

        if (registryEvent.Alias is { } alias)
        {
            data["alias"] = alias;
        }

        if ((after ?? before) is JsonObject state)
        {
            foreach (var field in StateFields.Where(f => state[f] is not null && !data.ContainsKey(f)))
            {
                data[field] = field == "tags" ? TagMap(state[field]!) : state[field]!.DeepClone();
            }
        }

        foreach (var field in MlflowFields.GetValueOrDefault(registryEvent.Action, []).Where(f => !data.ContainsKey(f)))
        {
            data[field] = field == "tags" ? new JsonObject() : null;
        }

        data["event_id"] = registryEvent.Id > 0 ? registryEvent.Id : null;
        data["actor"] = registryEvent.Actor;
        data["before"] = before;
        data["after"] = after;

        var dot = registryEvent.Action.LastIndexOf('.');
        var payload = new JsonObject
        {
            ["entity"] = registryEvent.Action[..dot],
            ["action"] = registryEvent.Action[(dot + 1)..],
            ["timestamp"] = DateTimeOffset.FromUnixTimeMilliseconds(registryEvent.Time).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", CultureInfo.InvariantCulture),
            ["data"] = data,
        };
        return payload.ToJsonString(MlflowJson.Options);
    }

    /// <summary>An event as it could have happened, for <c>POST /api/v1/webhooks/{id}/test</c>; its <c>event_id</c> is null.</summary>
    public static RegistryEvent Example(string action, long time)
    {
        var entity = action[..action.LastIndexOf('.')];
        var onVersion = entity.StartsWith("model_version", StringComparison.Ordinal);
        var state = new JsonObject { ["name"] = "example_model", ["description"] = "An example for a test delivery" };
        if (onVersion)
        {
            state["version"] = "1";
            state["source"] = "models:/m-example";
            state["run_id"] = "0123456789abcdef0123456789abcdef";
        }

        if (entity.EndsWith("_tag", StringComparison.Ordinal))
        {
            state = new JsonObject { ["key"] = "example_key", ["value"] = "example_value" };
        }

        var deleted = action.EndsWith(".deleted", StringComparison.Ordinal);
        return new RegistryEvent
        {
            Time = time,
            Actor = "cairn-test",
            Action = action,
            ModelName = "example_model",
            Version = onVersion ? 1 : null,
            Alias = entity == "model_version_alias" ? "example_alias" : null,
            Before = deleted ? state.ToJsonString() : null,
            After = deleted ? null : state.ToJsonString(),
        };
    }

    private static JsonNode? Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return JsonValue.Create(json);
        }
    }

    /// <summary>MLflow's wire form lists tags as <c>[{"key", "value"}]</c>; its webhook payloads carry them as a map.</summary>
    private static JsonNode TagMap(JsonNode tags)
    {
        if (tags is not JsonArray list)
        {
            return tags.DeepClone();
        }

        var map = new JsonObject();
        foreach (var tag in list.OfType<JsonObject>())
        {
            if (tag["key"] is JsonValue value && value.TryGetValue<string>(out var key))
            {
                map[key] = tag["value"]?.DeepClone();
            }
        }

        return map;
    }
}
