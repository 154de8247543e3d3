using System.Diagnostics;
using System.Globalization;

namespace Cairn.Server.Tests.Infrastructure;

/// <summary>
/// A PostgreSQL cluster of one test's own: <c>initdb</c> into a temporary folder and <c>pg_ctl</c> on a free loopback
/// port, for a test that stops and starts PostgreSQL under a running server (the run's shared cluster must keep
/// serving every other test). PostgreSQL refuses to run as root, so as root the folder and the processes belong to
/// the <c>postgres</c> user, as in test.sh. Stopped immediately and deleted on dispose.
/// </summary>
public sealed class PostgresCluster : IAsyncDisposable
{
    /// <summary>Where <c>initdb</c> and <c>pg_ctl</c> are: Debian's postgresql-15, which test.sh installs, unless this variable says otherwise.</summary>
    public const string BinariesVariable = "CAIRN_TEST_PG_BIN";

    private static readonly string Binaries = Environment.GetEnvironmentVariable(BinariesVariable) is { Length: > 0 } bin ? bin : "/usr/lib/postgresql/15/bin";
    private static readonly bool AsRoot = Environment.UserName == "root";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cairn-pg-" + Guid.NewGuid().ToString("N"));
    private readonly int _port = MotoServer.FreePort();

    private PostgresCluster()
    {
    }

    /// <summary>A connection string of the superuser, for <c>--database</c>: the server creates its schema in <c>postgres</c>.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={_port};Username=postgres;Database=postgres";

    private string Data => Path.Combine(_folder, "data");

    public static async Task<PostgresCluster> StartAsync()
    {
        if (!File.Exists(Path.Combine(Binaries, "initdb")))
        {
            throw new InvalidOperationException(
                $"This test starts a PostgreSQL cluster of its own and needs PostgreSQL's binaries in {Binaries} (Debian's postgresql-15, which test.sh installs; or set {BinariesVariable}).");
        }

        var cluster = new PostgresCluster();
        try
        {
            Directory.CreateDirectory(cluster._folder);
            if (AsRoot)
            {
                await RunAsync("chown", "postgres", cluster._folder);
            }

            // --no-sync: the folder is thrown away; the running server keeps PostgreSQL's durability defaults.
            await cluster.PgAsync("initdb", "-D", cluster.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync");
            await cluster.StartAgainAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the stopped cluster again on the same port, and waits until it accepts connections.</summary>
    public Task StartAgainAsync() => PgAsync(
        "pg_ctl", "-D", Data, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "120",
        "-o", string.Create(CultureInfo.InvariantCulture, $"-p {_port} -k {_folder} -c listen_addresses=127.0.0.1"), "start");

    /// <summary>Stops the cluster: <c>fast</c> ends every session (rolling back what is open) and checkpoints; <c>immediate</c> is a crash.</summary>
    public Task StopAsync(string mode = "fast") => PgAsync("pg_ctl", "-D", Data, "-m", mode, "-w", "-t", "120", "stop");

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopAsync("immediate");
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Task PgAsync(string tool, params string[] args) =>
        AsRoot ? RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(Binaries, tool), .. args]) : RunAsync(Path.Combine(Binaries, tool), args);

    private static async Task RunAsync(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} exited with {process.ExitCode}:\n{await output}\n{await error}");
        }
    }
}
