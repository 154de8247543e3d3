using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;

namespace Cairn.Server.Models.Logged;

/// <summary>What a logged model's name, params and tags must satisfy (the limits of MLflow's logged-model tables).</summary>
public static class LoggedModelRules
{
    public const int MaxNameLength = 500;
    public const int MaxKeyLength = 255;

    /// <summary>Params with a key and a value each; a key sent twice must carry the same value.</summary>
    public static List<KeyValue> Params(List<KeyValue>? parameters, string field)
    {
        var list = Validated(parameters, field);
        var conflicting = list.GroupBy(p => p.Key).Where(g => g.Select(p => p.Value).Distinct().Count() > 1).Select(g => g.Key).ToList();
        return conflicting.Count == 0
            ? [.. list.DistinctBy(p => p.Key)]
            : throw MlflowException.InvalidParameter(
                $"Duplicate parameter keys have been submitted with different values: [{string.Join(", ", conflicting.Select(k => $"'{k}'"))}].");
    }

    /// <summary>Tags with a key and a value each; the last value of a repeated key wins.</summary>
    public static List<KeyValue> Tags(List<KeyValue>? tags, string field) =>
        [.. Validated(tags, field).GroupBy(t => t.Key).Select(g => g.Last())];

    private static List<KeyValue> Validated(List<KeyValue>? entries, string field)
    {
        var list = entries ?? [];
        for (var i = 0; i < list.Count; i++)
        {
            TrackingRules.Length(TrackingRules.Required(list[i].Key, $"{field}[{i}].key"), $"{field}[{i}].key", MaxKeyLength);
            if (list[i].Value is null)
            {
                throw MlflowException.MissingParameter($"{field}[{i}].value");
            }
        }

        return list;
    }
}
