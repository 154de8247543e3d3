using System.Net.Sockets;
using System.Text.Json;
using Cairn.Client;

namespace Cairn.Cli;

/// <summary>
/// Turns whatever a command threw into one line for stderr and the exit code the help documents:
/// 1 for a usage error (bad arguments, a local file or folder that cannot be read or written), 2 for a server or
/// network error (and anything unexpected), 130 when cancelled (Ctrl+C). Never a stack trace.
/// </summary>
public static class CommandFailure
{
    public static (int ExitCode, string Message) Describe(Exception exception) => exception switch
    {
        AggregateException { InnerExceptions.Count: 1 } aggregate => Describe(aggregate.InnerExceptions[0]),
        CairnApiException e => (CliContext.ServerError, e.Message),
        ServerStateException e => (CliContext.ServerError, e.Message),
        ArgumentException e => (CliContext.UsageError, e.Message),
        OperationCanceledException { InnerException: TimeoutException } e => (CliContext.ServerError, $"The server did not answer in time: {e.Message}"),
        OperationCanceledException => (CliContext.Cancelled, "cancelled."),
        HttpRequestException or HttpIOException or SocketException => (CliContext.ServerError, $"The connection to the server failed: {exception.Message}"),
        JsonException e => (CliContext.ServerError, $"The server's answer could not be read: {e.Message}"),
        UnauthorizedAccessException or IOException => (CliContext.UsageError, exception.Message),
        _ => (CliContext.ServerError, $"{exception.GetType().Name}: {exception.Message}"),
    };

    /// <summary>Writes <c>error: …</c> on one line and returns the exit code.</summary>
    public static async Task<int> ReportAsync(Exception exception, TextWriter error)
    {
        var (code, message) = Describe(exception);
        await error.WriteLineAsync("error: " + string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return code;
    }
}
