using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Serialization;
using Cairn.Client;
using Spectre.Console;

namespace Cairn.Cli;

/// <summary>What every command needs: output streams, the server it talks to, and how to print results (failures: <see cref="CommandFailure"/>).</summary>
public sealed class CliContext(TextWriter output, TextWriter error, Func<string, string?> environment)
{
    public const int Success = 0;
    public const int UsageError = 1;
    public const int ServerError = 2;
    public const int Cancelled = 130;

    // Enums print as the protocol names them: a run's status is "FINISHED", not 3.
    private static readonly JsonSerializerOptions JsonOutput = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseUpper) },
    };

    public TextWriter Output { get; } = output;

    public TextWriter Error { get; } = error;

    /// <summary>The server from <c>--server</c>, else <c>CAIRN_URL</c>, else <c>~/.cairn/config.json</c>, else the default.</summary>
    public Uri ServerFor(ParseResult parsed) => ServerResolution.Resolve(parsed.GetValue(CommonOptions.Server), environment);

    public CairnClient ClientFor(ParseResult parsed) => new(new HttpClient { BaseAddress = ServerFor(parsed) });

    public bool WantsJson(ParseResult parsed) => parsed.GetValue(CommonOptions.Json);

    public void WriteJson(object value) => Output.WriteLine(JsonSerializer.Serialize(value, JsonOutput));

    public void WriteTable(Table table)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
        });
        console.Profile.Width = 200;
        console.Write(table);
    }
}
