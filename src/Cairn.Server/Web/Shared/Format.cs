using System.Globalization;

namespace Cairn.Server.Web.Shared;

/// <summary>How the UI writes times, durations and numbers: invariant, compact, and the same on every page.</summary>
public static class Format
{
    public static string Time(long? epochMilliseconds) => epochMilliseconds is { } ms
        ? DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        : "";

    public static string Duration(long startTime, long? endTime)
    {
        if (endTime is not { } end || end < startTime)
        {
            return "";
        }

        var span = TimeSpan.FromMilliseconds(end - startTime);
        return span.TotalHours >= 1 ? $"{(int)span.TotalHours}h {span.Minutes}m"
            : span.TotalMinutes >= 1 ? $"{span.Minutes}m {span.Seconds}s"
            : $"{span.TotalSeconds:0.0}s";
    }

    /// <summary>A metric value as the API would round-trip it, shortened to 6 significant digits.</summary>
    public static string Number(double value) => double.IsNaN(value) ? "NaN" : value.ToString("G6", CultureInfo.InvariantCulture);

    public static string Bytes(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        < 1024L * 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024 * 1024):0.##} GB"),
    };

    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
