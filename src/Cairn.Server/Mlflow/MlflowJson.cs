using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Cairn.Server.Mlflow;

/// <summary>
/// JSON as MLflow's server speaks it: snake_case fields, unset fields omitted, int64 as numbers (numeric
/// strings accepted), NaN and infinities as the strings "NaN", "Infinity", "-Infinity", enums by name.
/// </summary>
public static class MlflowJson
{
    public static readonly JsonSerializerOptions Options = Create();

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowReadingFromString | JsonNumberHandling.AllowNamedFloatingPointLiterals,
            PropertyNameCaseInsensitive = false,
            MaxDepth = 32,
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        options.Converters.Add(new DefinedEnumConverterFactory(JsonNamingPolicy.SnakeCaseUpper));
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }
}
