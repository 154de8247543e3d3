namespace Cairn.Server.Mlflow;

/// <summary>Answers errors on MLflow-compatible routes as MLflow does: <c>{"error_code", "message"}</c> with MLflow's status.</summary>
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
