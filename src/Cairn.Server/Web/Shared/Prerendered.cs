using System.Text.Json;
using Cairn.Server.Mlflow;

namespace Cairn.Server.Web.Shared;

/// <summary>
/// Hands what a page loaded while prerendering over to its interactive render, so the page's data is read once.
/// The state travels as a string written with the API's own JSON options: metric values may be NaN or infinite,
/// which the framework's default JSON would refuse.
/// </summary>
public static class Prerendered
{
    /// <summary>
    /// The largest state handed over. The browser sends it back when the live connection starts, in one message
    /// that <see cref="MaxMessageBytes"/> must admit (base64 adds a third); a page with more loads again instead.
    /// </summary>
    public const int MaxStateChars = 512 * 1024;

    /// <summary>The live connection's largest incoming message (the framework's default, 32 KB, is far too small for a page of runs).</summary>
    public const int MaxMessageBytes = 2 * 1024 * 1024;

    /// <summary>The state to hand over, or null when it is too large to travel (the interactive render then loads it again).</summary>
    public static string? Save<T>(T state)
    {
        var json = JsonSerializer.Serialize(state, MlflowJson.Options);
        return json.Length <= MaxStateChars ? json : null;
    }

    public static T? Load<T>(string? saved) where T : class =>
        string.IsNullOrEmpty(saved) ? null : JsonSerializer.Deserialize<T>(saved, MlflowJson.Options);
}
