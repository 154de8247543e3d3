using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Cairn.Cli.Commands.Artifacts;

/// <summary>
/// Shows a transfer on stderr: a live bar with bytes and bytes/s when stderr is a terminal, and always a closing
/// line with the size, time and rate, so stdout stays clean for scripts.
/// </summary>
public static class TransferProgress
{
    public static async Task<long> RunAsync(CliContext context, string label, long? total, Func<IProgress<long>, Task> transfer)
    {
        var started = Stopwatch.GetTimestamp();
        long transferred = 0;
        if (ReferenceEquals(context.Error, Console.Error) && !Console.IsErrorRedirected)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
            await console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new DownloadedColumn(), new TransferSpeedColumn(), new RemainingTimeColumn())
                .StartAsync(async progress =>
                {
                    var task = progress.AddTask(Markup.Escape(label), maxValue: Math.Max(total ?? 0, 1));
                    await transfer(new Reporter(bytes =>
                    {
                        transferred = bytes;
                        task.Value = bytes;
                    }));
                    task.Value = task.MaxValue;
                });
        }
        else
        {
            await transfer(new Reporter(bytes => transferred = bytes));
        }

        var seconds = Math.Max(Stopwatch.GetElapsedTime(started).TotalSeconds, 1e-3);
        await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{label}: {transferred:N0} bytes in {seconds:0.00} s ({transferred / seconds / (1024 * 1024):0.0} MiB/s)"));
        return transferred;
    }

    /// <summary>Reports on the thread that moves the bytes (Progress&lt;T&gt; would post reports out of order).</summary>
    private sealed class Reporter(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
