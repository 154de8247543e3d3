using System.Globalization;
using Cairn.Server.Admin.StoreMigration;
using Spectre.Console;

namespace Cairn.Cli.Commands.Admin;

/// <summary>
/// A progress bar per table on stderr (rows copied and rows/s, then the check of the copy) when stderr is a terminal;
/// otherwise a plain line as each table's copy and check completes, for logs and scripts.
/// </summary>
public static class StoreProgressDisplay
{
    public static async Task<T> RunAsync<T>(TextWriter error, Func<IProgress<StoreProgress>, Task<T>> work)
    {
        if (!ReferenceEquals(error, Console.Error) || Console.IsErrorRedirected)
        {
            return await work(new LineReporter(error));
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(error) });
        return await console.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
            .StartAsync(context => work(new Reporter(context)));
    }

    /// <summary>Applies each report at once, on the migration's own thread (<see cref="Progress{T}"/> would post them out of order).</summary>
    private sealed class Reporter(ProgressContext context) : IProgress<StoreProgress>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new(StringComparer.Ordinal);

        public void Report(StoreProgress value)
        {
            if (!_tasks.TryGetValue(value.Table, out var task))
            {
                task = _tasks[value.Table] = context.AddTask(value.Table, maxValue: Math.Max(1, 2 * value.Total));
            }

            var done = value.Rows >= value.Total;
            task.Value = value.Phase == StorePhase.Copy ? value.Rows : value.Total + value.Rows;
            var invariant = CultureInfo.InvariantCulture;
            task.Description = Markup.Escape(value.Phase switch
            {
                StorePhase.Copy => string.Create(invariant, $"{value.Table}: {value.Rows:N0} rows copied, {value.RowsPerSecond:N0} rows/s"),
                _ when done => string.Create(invariant, $"{value.Table}: {value.Total:N0} rows copied and checked"),
                _ => string.Create(invariant, $"{value.Table}: {value.Rows:N0} of {value.Total:N0} rows checked"),
            });
            if (value.Phase == StorePhase.Check && done)
            {
                task.Value = task.MaxValue;
            }
        }
    }

    /// <summary>One line per table and phase, written when the phase completes.</summary>
    private sealed class LineReporter(TextWriter error) : IProgress<StoreProgress>
    {
        private readonly HashSet<(string, StorePhase)> _done = [];

        public void Report(StoreProgress value)
        {
            if (value.Rows < value.Total || !_done.Add((value.Table, value.Phase)))
            {
                return;
            }

            var invariant = CultureInfo.InvariantCulture;
            error.WriteLine(value.Phase == StorePhase.Copy
                ? string.Create(invariant, $"{value.Table}: {value.Total:N0} rows copied, {value.RowsPerSecond:N0} rows/s")
                : string.Create(invariant, $"{value.Table}: {value.Total:N0} rows checked"));
        }
    }
}
