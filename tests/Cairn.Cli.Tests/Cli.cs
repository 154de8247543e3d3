using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cairn.Cli.Tests;

/// <summary>Runs the <c>cairn</c> command line in-process against a server, capturing what it prints and its exit code.</summary>
public sealed class Cli(Uri? server, Dictionary<string, string?>? environment = null)
{
    public Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args) => RunAsync(CancellationToken.None, args);

    public async Task<(int ExitCode, string Output, string Error)> RunAsync(CancellationToken cancellationToken, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        string[] all = server is null ? args : [.. args, "--server", server.AbsoluteUri];
        var code = await CliApp.RunAsync(all, output, error, name => environment?.GetValueOrDefault(name), cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    /// <summary>Asserts a failure as users see it: the exit code, nothing on stdout, and one line on stderr with no stack trace.</summary>
    public async Task<string> FailsAsync(int exitCode, params string[] args)
    {
        var (code, output, error) = await RunAsync(args);
        Assert.True(code == exitCode, $"exit {code}, not {exitCode}: {error}{output}");
        Assert.Equal("", output);
        Assert.Single(error.TrimEnd().Split('\n'));
        Assert.StartsWith("error: ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
        return error.Trim();
    }

    /// <summary>Runs with <c>--json</c>, asserts exit code 0, and parses what was printed.</summary>
    public async Task<JsonNode> JsonAsync(params string[] args)
    {
        var (code, output, error) = await RunAsync([.. args, "--json"]);
        Assert.True(code == 0, $"exit {code}: {error}");
        return JsonNode.Parse(output) ?? throw new JsonException("no output");
    }
}
