namespace Cairn.Server.Mlflow;

/// <summary>An error the MLflow-compatible routes answer as <c>{"error_code", "message"}</c> with MLflow's HTTP status.</summary>
public sealed class MlflowException(string errorCode, string message, int? statusCode = null) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;

    /// <summary>MLflow's status for the code, unless a transport error (such as 413) says otherwise.</summary>
    public int StatusCode { get; } = statusCode ?? ErrorCodes.StatusOf(errorCode);

    public static MlflowException InvalidParameter(string message) => new(ErrorCodes.InvalidParameterValue, message);

    public static MlflowException NotFound(string message) => new(ErrorCodes.ResourceDoesNotExist, message);

    public static MlflowException AlreadyExists(string message) => new(ErrorCodes.ResourceAlreadyExists, message);

    public static MlflowException MissingParameter(string field) =>
        InvalidParameter($"Missing value for required parameter '{field}'. See the API docs for more information about request parameters.");
}

/// <summary>MLflow's error codes and the HTTP statuses its server answers them with.</summary>
public static class ErrorCodes
{
    public const string InvalidParameterValue = "INVALID_PARAMETER_VALUE";
    public const string BadRequest = "BAD_REQUEST";
    public const string ResourceAlreadyExists = "RESOURCE_ALREADY_EXISTS";
    public const string ResourceDoesNotExist = "RESOURCE_DOES_NOT_EXIST";
    public const string EndpointNotFound = "ENDPOINT_NOT_FOUND";
    public const string ResourceExhausted = "RESOURCE_EXHAUSTED";
    public const string InternalError = "INTERNAL_ERROR";
    public const string TemporarilyUnavailable = "TEMPORARILY_UNAVAILABLE";
    public const string NotImplemented = "NOT_IMPLEMENTED";

    public static int StatusOf(string errorCode) => errorCode switch
    {
        InvalidParameterValue or BadRequest or ResourceAlreadyExists => StatusCodes.Status400BadRequest,
        ResourceDoesNotExist or EndpointNotFound or "NOT_FOUND" => StatusCodes.Status404NotFound,
        "UNAUTHENTICATED" or "CUSTOMER_UNAUTHORIZED" => StatusCodes.Status401Unauthorized,
        "PERMISSION_DENIED" => StatusCodes.Status403Forbidden,
        "ALREADY_EXISTS" or "RESOURCE_CONFLICT" or "ABORTED" => StatusCodes.Status409Conflict,
        ResourceExhausted or "REQUEST_LIMIT_EXCEEDED" => StatusCodes.Status429TooManyRequests,
        NotImplemented => StatusCodes.Status501NotImplemented,
        TemporarilyUnavailable => StatusCodes.Status503ServiceUnavailable,
        "DEADLINE_EXCEEDED" => StatusCodes.Status504GatewayTimeout,
        _ => StatusCodes.Status500InternalServerError,
    };
}
