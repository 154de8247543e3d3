namespace Cairn.Server.Hosting;

/// <summary>Maps Cairn's own flags and environment variables onto the <c>Cairn</c> configuration section.</summary>
public static class CommandLineSettings
{
    public static readonly Dictionary<string, string> Switches = new(StringComparer.Ordinal)
    {
        ["--data"] = "Cairn:Data",
        ["--database"] = "Cairn:Database",
        ["--path-base"] = "Cairn:PathBase",
    };

    private static readonly (string Variable, string Key)[] EnvironmentVariables =
    [
        ("CAIRN_DATA", "Cairn:Data"),
        ("CAIRN_DATABASE", "Cairn:Database"),
        ("CAIRN_PATH_BASE", "Cairn:PathBase"),
    ];

    /// <summary>Flag beats environment variable beats appsettings: environment values go in first, the command line after.</summary>
    public static void AddCairnSettings(this ConfigurationManager configuration, string[] args)
    {
        var fromEnvironment = EnvironmentVariables
            .Select(e => (e.Key, Value: Environment.GetEnvironmentVariable(e.Variable)))
            .Where(e => !string.IsNullOrEmpty(e.Value))
            .ToDictionary(e => e.Key, e => e.Value);
        configuration.AddInMemoryCollection(fromEnvironment);
        configuration.AddCommandLine(args, Switches);
    }
}
