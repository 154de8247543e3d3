namespace Cairn.Bench.Ui;

/// <summary>Command-line options: <c>--url</c>, <c>--scenario runs-page|run-chart|all</c>, <c>--iterations</c>, <c>--chromium</c>, <c>--out</c>.</summary>
public sealed record UiBenchOptions(Uri Url, string Scenario, int Iterations, string Chromium, string? Out)
{
    public const string RunsPage = "runs-page";
    public const string RunChart = "run-chart";

    public bool Runs(string scenario) => Scenario == "all" || Scenario == scenario;

    public static UiBenchOptions Parse(string[] args)
    {
        string Value(string name, string fallback)
        {
            var i = Array.IndexOf(args, name);
            return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        }

        var url = Value("--url", "http://127.0.0.1:5000");
        return new UiBenchOptions(
            new Uri(url.EndsWith('/') ? url : url + "/"),
            Value("--scenario", "all"),
            int.Parse(Value("--iterations", "20"), System.Globalization.CultureInfo.InvariantCulture),
            Value("--chromium", "/usr/bin/chromium"),
            args.Contains("--out") ? Value("--out", "") : null);
    }
}
