using System.Text;
using System.Text.Json;
using Cairn.Server.Artifacts;
using Microsoft.VisualBasic.FileIO;

namespace Cairn.Server.Web.Artifacts;

/// <summary>What the artifact browser shows for a file: text, pretty JSON, a CSV table, an image, or nothing.</summary>
public sealed record ArtifactPreview(string Kind, string? Text = null, IReadOnlyList<string[]>? Rows = null, bool Truncated = false)
{
    /// <summary>How much of a file a preview reads.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>How many CSV rows a preview shows.</summary>
    public const int MaxRows = 100;

    private static readonly HashSet<string> ImageExtensions = [".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp"];
    private static readonly HashSet<string> TextExtensions =
        [".txt", ".log", ".md", ".py", ".yaml", ".yml", ".toml", ".ini", ".cfg", ".sh", ".sql", ".html", ".xml", ".r", ".ipynb", ""];

    public static async Task<ArtifactPreview> LoadAsync(IArtifactStore store, string path, CancellationToken cancellationToken)
    {
        var extension = Path.GetExtension(path).ToLowerInvariant();
        if (ImageExtensions.Contains(extension))
        {
            return new ArtifactPreview("image");
        }

        var isCsv = extension is ".csv" or ".tsv";
        if (!isCsv && extension != ".json" && !TextExtensions.Contains(extension))
        {
            return new ArtifactPreview("none");
        }

        var content = await store.OpenAsync(path, cancellationToken);
        if (content is null)
        {
            return new ArtifactPreview("none");
        }

        await using var stream = content.Stream;
        var buffer = new byte[(int)Math.Min(content.Length, MaxBytes)];
        await stream.ReadExactlyAsync(buffer, cancellationToken);
        var truncated = content.Length > MaxBytes;
        var text = Encoding.UTF8.GetString(buffer);
        if (isCsv)
        {
            return new ArtifactPreview("table", Rows: ParseRows(text, extension == ".tsv" ? "\t" : ","), Truncated: truncated);
        }

        if (extension == ".json" && !truncated && TryIndent(text) is { } indented)
        {
            return new ArtifactPreview("text", indented);
        }

        return new ArtifactPreview("text", text, Truncated: truncated);
    }

    private static List<string[]> ParseRows(string text, string delimiter)
    {
        using var parser = new TextFieldParser(new StringReader(text)) { HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(delimiter);
        var rows = new List<string[]>();
        try
        {
            while (!parser.EndOfData && rows.Count <= MaxRows)
            {
                rows.Add(parser.ReadFields() ?? []);
            }
        }
        catch (MalformedLineException)
        {
            // A cut-off last line (the preview reads only the start of a large file) ends the table.
        }

        return rows;
    }

    private static string? TryIndent(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return JsonSerializer.Serialize(document.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
