namespace Cairn.Server.Hosting;

/// <summary>Maps Cairn's own flags and environment variables onto the <c>Cairn</c> configuration section.</summary>
public static class CommandLineSettings
{
    private static readonly (string Flag, string Variable, string Key)[] Settings =
    [
        ("--data", "CAIRN_DATA", "Cairn:Data"),
        ("--database", "CAIRN_DATABASE", "Cairn:Database"),
        ("--path-base", "CAIRN_PATH_BASE", "Cairn:PathBase"),
        ("--artifacts-store", "CAIRN_ARTIFACTS_STORE", "Cairn:Artifacts:Store"),
        ("--artifacts-s3-endpoint", "CAIRN_ARTIFACTS_S3_ENDPOINT", "Cairn:Artifacts:S3:Endpoint"),
        ("--artifacts-s3-bucket", "CAIRN_ARTIFACTS_S3_BUCKET", "Cairn:Artifacts:S3:Bucket"),
        ("--artifacts-s3-prefix", "CAIRN_ARTIFACTS_S3_PREFIX", "Cairn:Artifacts:S3:Prefix"),
        ("--artifacts-s3-region", "CAIRN_ARTIFACTS_S3_REGION", "Cairn:Artifacts:S3:Region"),
        ("--artifacts-s3-access-key", "CAIRN_ARTIFACTS_S3_ACCESS_KEY", "Cairn:Artifacts:S3:AccessKey"),
        ("--artifacts-s3-secret-key", "CAIRN_ARTIFACTS_S3_SECRET_KEY", "Cairn:Artifacts:S3:SecretKey"),
        ("--artifacts-s3-force-path-style", "CAIRN_ARTIFACTS_S3_FORCE_PATH_STYLE", "Cairn:Artifacts:S3:ForcePathStyle"),
        ("--artifacts-s3-create-bucket", "CAIRN_ARTIFACTS_S3_CREATE_BUCKET", "Cairn:Artifacts:S3:CreateBucket"),
    ];

    public static readonly Dictionary<string, string> Switches = Settings.ToDictionary(s => s.Flag, s => s.Key, StringComparer.Ordinal);

    /// <summary>The environment variables read into the <c>Cairn</c> section (<c>CAIRN_DATA</c>, ...).</summary>
    public static readonly IReadOnlySet<string> Variables = Settings.Select(s => s.Variable).ToHashSet(StringComparer.Ordinal);

    /// <summary>Flag beats environment variable beats appsettings: environment values go in first, the command line after.</summary>
    public static void AddCairnSettings(this ConfigurationManager configuration, string[] args)
    {
        var fromEnvironment = Settings
            .Select(s => (s.Key, Value: Environment.GetEnvironmentVariable(s.Variable)))
            .Where(s => !string.IsNullOrEmpty(s.Value))
            .ToDictionary(s => s.Key, s => s.Value);
        configuration.AddInMemoryCollection(fromEnvironment);
        configuration.AddCommandLine(args, Switches);
    }

    /// <summary>A configuration key with its flag and environment variable, for messages: <c>Cairn:Data (--data, CAIRN_DATA)</c>.</summary>
    public static string Describe(string key) =>
        Settings.FirstOrDefault(s => s.Key == key) is { Flag: not null } s ? $"{key} ({s.Flag}, {s.Variable})" : key;
}
