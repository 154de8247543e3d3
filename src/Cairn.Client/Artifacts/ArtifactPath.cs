namespace Cairn.Client.Artifacts;

/// <summary>
/// Checks a path inside a run's artifacts before it goes into a URL: HttpClient drops <c>..</c> segments, so
/// <c>../../x</c> would otherwise land outside the run, and a URI scheme or an empty segment names no folder of it.
/// </summary>
internal static class ArtifactPath
{
    /// <summary>The path without its leading and trailing slashes, or an <see cref="ArgumentException"/> naming it.</summary>
    public static string Check(string path)
    {
        var trimmed = path.Trim('/');
        var problem =
            trimmed.Length == 0 ? "is empty"
            : trimmed.Contains('\\', StringComparison.Ordinal) ? "has a backslash"
            : trimmed.IndexOf(':', StringComparison.Ordinal) is var colon and > 0 && !trimmed[..colon].Contains('/', StringComparison.Ordinal) ? "has a URI scheme"
            : trimmed.Split('/').FirstOrDefault(s => s is "" or "." or "..") is { } segment ? segment.Length == 0 ? "has an empty segment" : $"has a '{segment}' segment"
            : null;
        return problem is null
            ? trimmed
            : throw new ArgumentException($"The artifact path '{path}' {problem}; give a relative path inside the run's artifacts, such as 'model/weights.bin'.");
    }

    /// <summary>Like <see cref="Check"/>, with null or empty meaning the run's artifact root.</summary>
    public static string? CheckFolder(string? path) => string.IsNullOrEmpty(path) || path.Trim('/').Length == 0 ? null : Check(path);
}
