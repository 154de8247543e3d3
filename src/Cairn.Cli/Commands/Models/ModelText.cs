using System.Globalization;
using Cairn.Client.Models;

namespace Cairn.Cli.Commands.Models;

/// <summary>How registry values print in tables.</summary>
public static class ModelText
{
    public static string Version(int version) => "v" + version.ToString(CultureInfo.InvariantCulture);

    public static string Time(DateTimeOffset time) => time.ToString("u", CultureInfo.InvariantCulture);

    public static string Aliases(RegisteredModel model) =>
        string.Join(", ", model.Aliases.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => $"{a.Key}→{Version(a.Value)}"));
}
