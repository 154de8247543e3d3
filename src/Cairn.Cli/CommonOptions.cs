using System.CommandLine;

namespace Cairn.Cli;

/// <summary>Options every command takes: where the server is, and whether to print JSON for scripts.</summary>
public static class CommonOptions
{
    public static readonly Option<string?> Server = new("--server")
    {
        Description = "The Cairn server, such as http://cairn:5000 (else CAIRN_URL, else ~/.cairn/config.json, else http://127.0.0.1:5000).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json")
    {
        Description = "Print JSON instead of tables, for scripts.",
        Recursive = true,
    };
}
