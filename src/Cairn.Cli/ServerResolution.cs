using System.Text.Json;
using Cairn.Client;

namespace Cairn.Cli;

/// <summary>Finds the server: flag, then environment variable, then the config file, then the default.</summary>
public static class ServerResolution
{
    public static string ConfigPath(Func<string, string?> environment) =>
        Path.Combine(environment("HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cairn", "config.json");

    public static Uri Resolve(string? flag, Func<string, string?> environment)
    {
        if (!string.IsNullOrWhiteSpace(flag))
        {
            return Parse(flag, "--server");
        }

        if (environment("CAIRN_URL") is { Length: > 0 } fromEnvironment)
        {
            return Parse(fromEnvironment, "CAIRN_URL");
        }

        var config = ConfigPath(environment);
        if (File.Exists(config))
        {
            try
            {
                using var document = JsonDocument.Parse(File.ReadAllText(config));
                if (document.RootElement.TryGetProperty("server", out var server) && server.GetString() is { Length: > 0 } fromConfig)
                {
                    return Parse(fromConfig, config);
                }
            }
            catch (JsonException e)
            {
                throw new ArgumentException($"{config} is not valid JSON: {e.Message}", e);
            }
        }

        return CairnClient.DefaultServer;
    }

    private static Uri Parse(string value, string source) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new ArgumentException($"The server from {source}, '{value}', is not an http or https URL.");
}
