using Microsoft.AspNetCore.StaticFiles;

namespace Cairn.Server.Artifacts;

/// <summary>
/// The Content-Type a downloaded artifact is sent with, as MLflow's server sends it: the text files ML work produces
/// (configs, JSON, YAML, CSV, logs, code, <c>MLmodel</c>) as <c>text/plain</c>, anything else by its extension, else
/// <c>application/octet-stream</c>. With <c>nosniff</c>, a JSON or HTML-looking artifact is never run as a page.
/// </summary>
public static class ArtifactContentType
{
    private static readonly FileExtensionContentTypeProvider ByExtension = new();

    private static readonly HashSet<string> TextExtensions = new(StringComparer.Ordinal)
    {
        "txt", "log", "err", "cfg", "conf", "cnf", "cf", "ini", "properties", "prop", "hocon", "toml", "yaml", "yml",
        "xml", "json", "js", "py", "py3", "csv", "tsv", "md", "rst",
    };

    public static string Of(string fileName)
    {
        var dot = fileName.LastIndexOf('.');
        if (fileName is "MLmodel" or "MLproject" || (dot >= 0 && TextExtensions.Contains(fileName[(dot + 1)..])))
        {
            return "text/plain";
        }

        return ByExtension.TryGetContentType(fileName, out var known) ? known : "application/octet-stream";
    }
}
