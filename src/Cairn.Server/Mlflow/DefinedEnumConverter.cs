using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Server.Mlflow;

/// <summary>
/// Enums by name (or by number, as protobuf's JSON allows), refusing any value the protocol does not define: a stock
/// <see cref="JsonStringEnumConverter"/> reads <c>-1</c> as a run status and stores it.
/// </summary>
public sealed class DefinedEnumConverterFactory(JsonNamingPolicy naming) : JsonConverterFactory
{
    private readonly JsonStringEnumConverter names = new(naming, allowIntegerValues: true);

    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(
            typeof(DefinedEnumConverter<>).MakeGenericType(typeToConvert), names.CreateConverter(typeToConvert, options), naming)!;

    private sealed class DefinedEnumConverter<T>(JsonConverter<T> inner, JsonNamingPolicy naming) : JsonConverter<T>
        where T : struct, Enum
    {
        private static readonly string[] Names = Enum.GetNames<T>();

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            var number = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) ? n : (long?)null;
            T value;
            try
            {
                value = inner.Read(ref reader, typeToConvert, options);
            }
            catch (JsonException)
            {
                throw Undefined(text ?? number?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "the value");
            }

            // A defined member read by name or by its number (a query string sends it as text); "Running, Finished" (flags syntax) and stray numbers are not.
            return Enum.IsDefined(value) && (text is null || long.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _)
                || Names.Any(name => string.Equals(naming.ConvertName(name), text, StringComparison.OrdinalIgnoreCase)))
                ? value
                : throw Undefined(text is null ? Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture) : $"'{text}'");
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => inner.Write(writer, value, options);

        private JsonException Undefined(string value) =>
            new($"{value} is not one of {string.Join(", ", Names.Select(naming.ConvertName))}.");
    }
}
