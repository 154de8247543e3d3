using System.Net;
using System.Text.Json;

namespace Cairn.Bench;

/// <summary>
/// A protocol error: the server answered with something other than HTTP 200 and a JSON object,
/// or the bench found that the returned data is wrong. Maps to exit code 1.
/// </summary>
public sealed class MlflowException : Exception
{
    public MlflowException(string message) : base(message)
    {
    }

    public MlflowException(string message, Exception inner) : base(message, inner)
    {
    }

    public MlflowException()
    {
    }

    public MlflowException(string method, string path, HttpStatusCode status, string body)
        : base($"{method} {path} -> HTTP {(int)status} {status}: {Truncate(body)}")
    {
        Status = status;
        Body = body;
        ErrorCode = TryReadErrorCode(body);
    }

    public HttpStatusCode? Status { get; }

    /// <summary>The raw response body as sent by the server (may be empty or non-JSON).</summary>
    public string? Body { get; }

    /// <summary>The MLflow <c>error_code</c> field, when the body is a JSON error object.</summary>
    public string? ErrorCode { get; }

    private static string Truncate(string body) => body.Length <= 4000 ? body : body[..4000] + "…";

    private static string? TryReadErrorCode(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error_code", out var code)
                && code.ValueKind == JsonValueKind.String
                ? code.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
