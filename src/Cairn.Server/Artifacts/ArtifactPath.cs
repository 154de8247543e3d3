using Cairn.Server.Mlflow;

namespace Cairn.Server.Artifacts;

/// <summary>
/// Checks an artifact path a client sent before it touches any store: relative, forward slashes, no <c>..</c> or
/// <c>.</c> segments, no empty segments or URI schemes, no backslashes or NUL bytes, and none of those hidden behind
/// another round of percent-encoding.
/// MLflow's own server shipped path-traversal holes in exactly these handlers.
/// </summary>
public static partial class ArtifactPath
{
    private const int MaxLength = 4096;

    /// <summary>The path as segments joined by <c>/</c> ("" for the root), or a 400 naming <paramref name="field"/>.</summary>
    public static string Normalize(string? raw, string field = "path")
    {
        if (string.IsNullOrEmpty(raw))
        {
            return "";
        }

        if (raw.Length > MaxLength)
        {
            throw Invalid(field, raw, $"longer than {MaxLength} characters");
        }

        // A client never needs to encode twice; a path that still decodes hides what it names.
        var decoded = Uri.UnescapeDataString(raw);
        foreach (var form in decoded == raw ? [raw] : (string[])[raw, decoded])
        {
            if (form.Contains('\0'))
            {
                throw Invalid(field, raw, "contains a NUL byte");
            }

            if (form.Contains('\\'))
            {
                throw Invalid(field, raw, "contains a backslash");
            }

            if (form.StartsWith('/') || (form.Length >= 2 && form[1] == ':'))
            {
                throw Invalid(field, raw, "is absolute");
            }

            if (form.Split('/').Any(segment => segment is ".." or "."))
            {
                throw Invalid(field, raw, "has a '.' or '..' segment");
            }

            if (UriScheme().IsMatch(form))
            {
                throw Invalid(field, raw, "starts with a URI scheme");
            }

            // One trailing slash names a folder; an empty segment inside the path names nothing.
            if (form.TrimEnd('/').Contains("//", StringComparison.Ordinal) || form.EndsWith("//", StringComparison.Ordinal))
            {
                throw Invalid(field, raw, "has an empty segment");
            }
        }

        if (decoded != raw)
        {
            throw Invalid(field, raw, "is percent-encoded twice");
        }

        return string.Join('/', raw.Split('/', StringSplitOptions.RemoveEmptyEntries));
    }

    /// <summary><paramref name="path"/> under <paramref name="root"/> (both normalized).</summary>
    public static string Join(string root, string path) =>
        root.Length == 0 ? path : path.Length == 0 ? root : $"{root}/{path}";

    /// <summary>What a URL parser reads as a scheme (<c>file:</c>, <c>s3:</c>), as MLflow refuses it.</summary>
    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:")]
    private static partial System.Text.RegularExpressions.Regex UriScheme();

    private static MlflowException Invalid(string field, string raw, string reason) =>
        MlflowException.InvalidParameter($"Invalid artifact path in '{field}': '{raw.Replace("\0", "\\0", StringComparison.Ordinal)}' {reason}.");
}
