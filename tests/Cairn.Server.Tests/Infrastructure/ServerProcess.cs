using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// The real server as its own process (Kestrel on port 0), for tests that kill it. On PostgreSQL its database is
/// the one <see cref="TestDatabase"/> keeps for its data folder, dropped when the test run ends.
/// </summary>
public sealed partial class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<string> _output = [];

    private ServerProcess(string? dataPath, string workingDirectory, IReadOnlyDictionary<string, string>? environment, params string[] extraArgs)
    {
        // On PostgreSQL the data folder names the database too, so a restarted server finds its data.
        if (TestDatabase.IsPostgres && !extraArgs.Contains("--database") && environment?.ContainsKey("CAIRN_DATABASE") != true)
        {
            var folder = dataPath ?? environment?.GetValueOrDefault("CAIRN_DATA") ?? Path.Combine(workingDirectory, "cairn-data");
            extraArgs = [.. extraArgs, "--database", TestDatabase.For(folder)];
        }

        var server = Path.Combine(AppContext.BaseDirectory, "Cairn.Server.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        start.Environment.Remove("CAIRN_DATA");
        start.Environment.Remove("CAIRN_DATABASE");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        string[] data = dataPath is null ? [] : ["--data", dataPath];
        foreach (var arg in (string[])[server, "--urls", "http://127.0.0.1:0", .. data, .. extraArgs])
        {
            start.ArgumentList.Add(arg);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Observe(e.Data);
        _process.ErrorDataReceived += (_, e) => Observe(e.Data);
    }

    public string BaseUrl { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static Task<ServerProcess> StartAsync(string dataPath, params string[] extraArgs) =>
        StartInAsync(AppContext.BaseDirectory, dataPath, null, extraArgs);

    /// <summary>Starts the server with <paramref name="workingDirectory"/> as its working directory; no <c>--data</c> when <paramref name="dataPath"/> is null.</summary>
    public static async Task<ServerProcess> StartInAsync(
        string workingDirectory, string? dataPath, IReadOnlyDictionary<string, string>? environment, params string[] extraArgs)
    {
        var server = new ServerProcess(dataPath, workingDirectory, environment, extraArgs);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        var exited = server._process.WaitForExitAsync();
        // Generous: a first start on PostgreSQL runs every migration, and on a loaded two-core machine with several
        // servers starting at once that has taken over 30 s.
        var first = await Task.WhenAny(server._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(180)));
        if (first != server._listening.Task)
        {
            // Stopped, or it would outlive the test run, still trying to start.
            await server.DisposeAsync();
            throw new InvalidOperationException($"The server did not start listening:\n{server.Output}");
        }

        server.BaseUrl = await server._listening.Task;
        return server;
    }

    /// <summary>Runs the server to its exit and returns its exit code and output: for settings that must fail at start.</summary>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(string dataPath, params string[] extraArgs)
    {
        await using var server = new ServerProcess(dataPath, AppContext.BaseDirectory, null, extraArgs);
        server._process.Start();
        server._process.BeginOutputReadLine();
        server._process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await server._process.WaitForExitAsync(timeout.Token);
        return (server._process.ExitCode, server.Output);
    }

    /// <summary>SIGKILL: no shutdown, no flushing, as a crash or an OOM kill would end it.</summary>
    public void KillHard() => _process.Kill(entireProcessTree: true);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    private void Observe(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Add(line);
        }

        var match = ListeningOn().Match(line);
        if (match.Success)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
