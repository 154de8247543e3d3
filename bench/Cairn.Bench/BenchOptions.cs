using System.Globalization;

namespace Cairn.Bench;

/// <summary>Command-line options.</summary>
public sealed record BenchOptions(Uri Url, string Scenario, TimeSpan Duration, int Clients, string? OutFile, TimeSpan Warmup, long ArtifactBytes, int SearchRuns = Scenarios.SearchSetup.DefaultRunCount)
{
    /// <summary>What <c>all</c> runs: the scenarios any MLflow-compatible server answers.</summary>
    public static readonly string[] AllScenarios = ["log-batch", "log-metric", "search", "history", "registry"];

    /// <summary>Scenarios of Cairn's own routes, run only when named.</summary>
    public static readonly string[] CairnScenarios = ["series", "artifacts", "webhooks"];

    public const string Usage =
        "usage: Cairn.Bench --url http://127.0.0.1:5000 [--scenario all|log-batch|log-metric|search|history|registry|series|artifacts|webhooks]\n"
        + "                   [--duration 10] [--warmup 20] [--clients 4] [--size 1G] [--runs 10000] [--out file.json]";

    public IEnumerable<string> SelectedScenarios =>
        Scenario == "all" ? AllScenarios : Scenario.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message on bad input.</summary>
    public static BenchOptions Parse(string[] args)
    {
        Uri? url = null;
        var scenario = "all";
        var duration = 10.0;
        var warmup = 20.0;
        var clients = 4;
        string? outFile = null;
        var artifactBytes = 1L << 30;
        var searchRuns = Scenarios.SearchSetup.DefaultRunCount;
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"missing value for {name}");
            switch (name)
            {
                case "--url":
                    var raw = Next();
                    if (!Uri.TryCreate(raw, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
                    {
                        throw new ArgumentException($"--url must be an absolute http(s) URL, got '{raw}'");
                    }
                    break;
                case "--scenario":
                    scenario = Next();
                    break;
                case "--warmup":
                    warmup = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    break;
                case "--duration":
                    duration = double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture);
                    break;
                case "--clients":
                    clients = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--size":
                    artifactBytes = ParseSize(Next());
                    break;
                case "--runs":
                    searchRuns = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--out":
                    outFile = Next();
                    break;
                case "-h" or "--help":
                    throw new ArgumentException("help");
                default:
                    throw new ArgumentException($"unknown argument '{name}'");
            }
        }
        if (url is null)
        {
            throw new ArgumentException("--url is required");
        }
        if (duration <= 0 || clients <= 0 || searchRuns <= 0)
        {
            throw new ArgumentException("--duration, --clients and --runs must be positive");
        }
        var options = new BenchOptions(url, scenario, TimeSpan.FromSeconds(duration), clients, outFile, TimeSpan.FromSeconds(warmup), artifactBytes, searchRuns);
        foreach (var s in options.SelectedScenarios)
        {
            if (!AllScenarios.Contains(s, StringComparer.Ordinal) && !CairnScenarios.Contains(s, StringComparer.Ordinal))
            {
                throw new ArgumentException($"unknown scenario '{s}'");
            }
        }
        return options;
    }

    /// <summary>A size in bytes, with an optional binary suffix: <c>256M</c>, <c>1G</c>, <c>1048576</c>; whole MiB from 1 MiB up.</summary>
    private static long ParseSize(string raw)
    {
        var multiplier = char.ToUpperInvariant(raw.Length == 0 ? ' ' : raw[^1]) switch { 'K' => 1L << 10, 'M' => 1L << 20, 'G' => 1L << 30, _ => 1L };
        var digits = multiplier == 1 ? raw : raw[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number * multiplier < 1 << 20 || number * multiplier % (1 << 20) != 0)
        {
            throw new ArgumentException($"--size must be a whole number of MiB, at least 1M (such as 256M or 1G), got '{raw}'");
        }

        return number * multiplier;
    }
}
