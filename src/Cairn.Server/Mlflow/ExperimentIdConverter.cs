using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Server.Mlflow;

/// <summary>
/// An experiment id as a string or as an integer (<c>"experiment_ids": [1]</c>): MLflow's server turns integer
/// experiment ids into strings before it parses a request, and scripts send them that way.
/// </summary>
public sealed class ExperimentIdConverter : JsonConverter<string>
{
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number when reader.TryGetInt64(out var id) => id.ToString(CultureInfo.InvariantCulture),
            _ => throw new JsonException("expected an experiment id, as a string or an integer."),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
}

/// <summary>A list of experiment ids, each a string or an integer (see <see cref="ExperimentIdConverter"/>).</summary>
public sealed class ExperimentIdsConverter : JsonConverter<List<string>>
{
    private static readonly ExperimentIdConverter Id = new();

    public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException("expected a list of experiment ids.");
        }

        var ids = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            ids.Add(Id.Read(ref reader, typeof(string), options) ?? throw new JsonException("expected an experiment id, not null."));
        }

        return ids;
    }

    public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, options);
}
