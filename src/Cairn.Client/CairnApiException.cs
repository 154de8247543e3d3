using System.Net;

namespace Cairn.Client;

/// <summary>The one exception the SDK throws for a failed call: the HTTP status and the server's error code and message.</summary>
public sealed class CairnApiException : Exception
{
    /// <summary>Creates an exception for a failed call.</summary>
    public CairnApiException(HttpStatusCode statusCode, string? errorCode, string message, Exception? innerException = null)
        : base(errorCode is null ? message : $"{errorCode}: {message}", innerException)
    {
        StatusCode = statusCode;
        ErrorCode = errorCode;
        ServerMessage = message;
    }

    /// <summary>The HTTP status of the answer (0 when no answer arrived).</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>MLflow's error code, such as <c>RESOURCE_DOES_NOT_EXIST</c>; null when the server sent none.</summary>
    public string? ErrorCode { get; }

    /// <summary>The server's message, without the error code.</summary>
    public string ServerMessage { get; }

    /// <summary>Whether trying the same call again later may succeed (timeouts, 429, 5xx, no answer).</summary>
    public bool IsTransient => StatusCode is 0 or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)StatusCode >= 500;
}
