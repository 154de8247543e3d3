namespace Cairn.Server.Mlflow;

/// <summary>
/// Answers errors on MLflow-compatible routes as MLflow does: <c>{"error_code", "message"}</c> with MLflow's status;
/// a PostgreSQL that cannot be reached is a 503 the client retries.
/// </summary>
public sealed partial class MlflowErrors(ILogger<MlflowErrors> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        try
        {
            return await next(context);
        }
        catch (MlflowException e)
        {
            return Error(e.ErrorCode, e.Message, e.StatusCode);
        }
        catch (BadHttpRequestException e)
        {
            return Error(ErrorCodes.InvalidParameterValue, e.Message, e.StatusCode);
        }
        catch (OperationCanceledException) when (context.HttpContext.RequestAborted.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (Data.PostgresCairnDb.IsUnavailable(e))
        {
            // PostgreSQL is restarting or out of reach: 503, which the MLflow client retries, rather than a 500.
            LogUnhandled(logger, e, context.HttpContext.Request.Path);
            return Error("TEMPORARILY_UNAVAILABLE", "The database is unavailable; retry later.", StatusCodes.Status503ServiceUnavailable);
        }
        catch (Exception e)
        {
            LogUnhandled(logger, e, context.HttpContext.Request.Path);
            return Error(ErrorCodes.InternalError, $"Internal error while handling {context.HttpContext.Request.Path}: {e.GetType().Name}. See the server log.");
        }
    }

    public static IResult Error(string errorCode, string message, int? status = null) =>
        Results.Json(new { error_code = errorCode, message }, MlflowJson.Options, statusCode: status ?? ErrorCodes.StatusOf(errorCode));

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error on {Path}")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, PathString path);
}
