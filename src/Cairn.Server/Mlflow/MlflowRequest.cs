using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;

namespace Cairn.Server.Mlflow;

/// <summary>
/// Reads an MLflow request message: from the query string for GET (repeated keys become lists), from the
/// JSON body otherwise (an empty body is <c>{}</c>; a body that is a JSON string holding JSON is decoded twice).
/// </summary>
public static class MlflowRequest
{
    public static async Task<T> ReadAsync<T>(HttpContext context) where T : class, new()
    {
        var typeInfo = (JsonTypeInfo<T>)MlflowJson.Options.GetTypeInfo(typeof(T));
        if (HttpMethods.IsGet(context.Request.Method))
        {
            return Deserialize(FromQuery(context.Request.Query, typeInfo), typeInfo);
        }

        var body = await ReadBodyAsync(context);
        if (body.Length == 0)
        {
            return new T();
        }

        // Checked whole: the JSON reader only decodes the strings it binds, so bad bytes in a field Cairn ignores would pass.
        if (!System.Text.Unicode.Utf8.IsValid(body.Span))
        {
            throw MlflowException.InvalidParameter("The request body is not valid UTF-8.");
        }

        if (body.Span[0] == (byte)'"')
        {
            var inner = Deserialize(body, (JsonTypeInfo<string>)MlflowJson.Options.GetTypeInfo(typeof(string)));
            body = Encoding.UTF8.GetBytes(inner);
        }

        return Deserialize(body, typeInfo);
    }

    /// <summary>Reads the body, refusing it with 413 once it passes the route's size limit (checked here, so every server enforces it).</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpContext context)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? long.MaxValue;
        if (context.Request.ContentLength > limit)
        {
            throw TooLarge(limit);
        }

        if (context.Request.ContentLength is { } length)
        {
            var exact = new byte[length];
            try
            {
                await context.Request.Body.ReadExactlyAsync(exact, context.RequestAborted);
            }
            catch (EndOfStreamException)
            {
                throw MlflowException.InvalidParameter($"The request body ended before its Content-Length of {length} bytes.");
            }

            return exact.AsSpan().Trim(" \t\r\n"u8).Length == 0 ? ReadOnlyMemory<byte>.Empty : exact;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    throw TooLarge(limit);
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }

        var bytes = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        return bytes.Span.Trim(" \t\r\n"u8).Length == 0 ? ReadOnlyMemory<byte>.Empty : bytes;
    }

    private static MlflowException TooLarge(long limit) =>
        new(ErrorCodes.InvalidParameterValue, $"The request body exceeds the limit of {limit} bytes.", StatusCodes.Status413PayloadTooLarge);

    private static T Deserialize<T>(ReadOnlyMemory<byte> json, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return JsonSerializer.Deserialize(json.Span, typeInfo)
                ?? throw MlflowException.InvalidParameter("The request body must be a JSON object, not null.");
        }
        catch (JsonException e)
        {
            throw MlflowException.InvalidParameter(Describe(e));
        }
    }

    private static T Deserialize<T>(JsonObject json, JsonTypeInfo<T> typeInfo)
    {
        try
        {
            return json.Deserialize(typeInfo) ?? throw MlflowException.InvalidParameter("The request is empty.");
        }
        catch (JsonException e)
        {
            throw MlflowException.InvalidParameter(Describe(e));
        }
    }

    private static string Describe(JsonException e)
    {
        var field = FieldName(e.Path);
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            if (inner is DecoderFallbackException || inner.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase))
            {
                return field is null ? "The request body is not valid UTF-8." : $"The value of '{field}' is not valid UTF-8.";
            }
        }

        return field is null
            ? $"Malformed request body: {FirstSentence(e.Message)}"
            : $"Invalid value for parameter '{field}': {FirstSentence(e.Message)}";
    }

    /// <summary>"$.metrics[3].value" becomes "metrics[3].value".</summary>
    private static string? FieldName(string? path) =>
        string.IsNullOrEmpty(path) || path == "$" ? null : path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path;

    private static string FirstSentence(string message)
    {
        var convert = message.IndexOf("could not be converted to ", StringComparison.Ordinal);
        if (convert > 0)
        {
            var target = message[(convert + 26)..];
            var expected = target.Contains("Double", StringComparison.Ordinal) ? "a number"
                : target.Contains("Int", StringComparison.Ordinal) ? "an integer"
                : target.Contains("String", StringComparison.Ordinal) ? "a string"
                : target.Contains("List", StringComparison.Ordinal) ? "a list"
                : target.Contains("Boolean", StringComparison.Ordinal) ? "true or false"
                : "a value of another type";
            return $"expected {expected}.";
        }

        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end] : message;
    }

    private static JsonObject FromQuery<T>(IQueryCollection query, JsonTypeInfo<T> typeInfo)
    {
        var json = new JsonObject();
        foreach (var property in typeInfo.Properties)
        {
            if (!query.TryGetValue(property.Name, out var values) || values.Count == 0)
            {
                continue;
            }

            var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
            if (type != typeof(string) && type.IsAssignableTo(typeof(System.Collections.IEnumerable)))
            {
                json[property.Name] = new JsonArray([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);
            }
            else if (type == typeof(bool))
            {
                json[property.Name] = ParseBool(property.Name, values[^1]);
            }
            else
            {
                json[property.Name] = JsonValue.Create(values[^1]);
            }
        }

        return json;
    }

    private static bool ParseBool(string field, string? value) =>
        bool.TryParse(value, out var parsed)
            ? parsed
            : throw MlflowException.InvalidParameter($"Invalid value for parameter '{field}': '{value}' is not a boolean (expected true or false).");
}
