using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Cairn.Bench;
using Cairn.Bench.Scenarios;

// Exit codes: 0 = all selected scenarios ran (targets may be missed), 1 = protocol error
// (non-200, malformed or wrong results), 2 = bad arguments or server unreachable, 130 = cancelled.
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
{
    if (e.Message != "help")
    {
        Console.Error.WriteLine("error: " + e.Message);
    }
    Console.Error.WriteLine(BenchOptions.Usage);
    return e.Message == "help" ? 0 : 2;
}

using var cts = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cts.Cancel();
};

var scenarios = new JsonObject();
var report = new JsonObject
{
    ["url"] = options.Url.AbsoluteUri,
    ["machine"] = new JsonObject
    {
        ["cores"] = Environment.ProcessorCount,
        ["os"] = RuntimeInformation.OSDescription,
        ["dotnet"] = RuntimeInformation.FrameworkDescription,
    },
    ["started_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture),
    ["duration_s"] = options.Duration.TotalSeconds,
    ["clients"] = options.Clients,
    ["scenarios"] = scenarios,
};

var exitCode = 0;
// Connections: one per bench client, plus the 8 setup workers of the search scenario.
using (var http = new MlflowHttp(options.Url, Math.Max(options.Clients, SearchSetup.WorkerCount) * 2))
{
    foreach (var name in options.SelectedScenarios)
    {
        var key = name.Replace('-', '_');
        ScenarioReport.Progress($"scenario {name}: starting");
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var wallBefore = Stopwatch.GetTimestamp();
        try
        {
            JsonObject result = name switch
            {
                "log-batch" => await LogBatchScenario.RunAsync(http, options, cts.Token),
                "log-metric" => await LogMetricScenario.RunAsync(http, options, cts.Token),
                "search" => await SearchScenario.RunAsync(http, options.SearchRuns, cts.Token),
                "history" => await HistoryScenario.RunAsync(http, cts.Token),
                "registry" => await RegistryScenario.RunAsync(http, cts.Token),
                "series" => await SeriesScenario.RunAsync(http, cts.Token),
                "artifacts" => await ArtifactsScenario.RunAsync(options.Url, options.ArtifactBytes, cts.Token),
                "webhooks" => await WebhooksScenario.RunAsync(http, cts.Token),
                _ => throw new InvalidOperationException(name),
            };
            // How much of the machine the bench itself used (it shares the cores with the server).
            var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            var wall = Stopwatch.GetElapsedTime(wallBefore).TotalSeconds;
            result["bench_client_cpu_s"] = Math.Round(cpu, 2);
            result["bench_client_cpu_pct_of_machine"] = Math.Round(100 * cpu / (wall * Environment.ProcessorCount), 1);
            scenarios[key] = result;
            ScenarioReport.Progress($"scenario {name}: {result["metric"]} = {result["measured"]} (target {result["target_rule"]}, pass={result["pass"]})");
        }
        catch (MlflowException e)
        {
            Console.Error.WriteLine($"PROTOCOL ERROR in scenario {name}: {e.Message}");
            scenarios[key] = new JsonObject { ["error"] = e.Message, ["pass"] = false };
            exitCode = 1;
            break;
        }
        catch (HttpRequestException e)
        {
            var refused = e.HttpRequestError == HttpRequestError.ConnectionError || e.InnerException is SocketException;
            Console.Error.WriteLine($"{(refused ? "CONNECTION" : "HTTP")} ERROR in scenario {name}: {e.Message}"
                + (refused ? $" (is the server running at {options.Url}?)" : ""));
            scenarios[key] = new JsonObject { ["error"] = e.Message, ["pass"] = false };
            exitCode = refused ? 2 : 1;
            break;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            Console.Error.WriteLine("cancelled");
            exitCode = 130;
            break;
        }
        catch (OperationCanceledException e)
        {
            // HttpClient.Timeout (120 s) expired: the server did not answer.
            Console.Error.WriteLine($"TIMEOUT in scenario {name}: {e.Message}");
            scenarios[key] = new JsonObject { ["error"] = "timeout: " + e.Message, ["pass"] = false };
            exitCode = 1;
            break;
        }
    }
}

report["finished_utc"] = DateTime.UtcNow.ToString("o", CultureInfo.InvariantCulture);
var json = report.ToJsonString(new JsonSerializerOptions
{
    WriteIndented = true,
    Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, // keep ">=" readable in target_rule
});
Console.Out.WriteLine(json);
if (options.OutFile is { } outFile)
{
    var dir = Path.GetDirectoryName(Path.GetFullPath(outFile));
    if (dir is not null)
    {
        Directory.CreateDirectory(dir);
    }
    await File.WriteAllTextAsync(outFile, json + "\n", CancellationToken.None);
    ScenarioReport.Progress($"results written to {outFile}");
}
return exitCode;
