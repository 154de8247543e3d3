namespace Cairn.Cli.Commands;

/// <summary>Reads repeated <c>key=value</c> options.</summary>
public static class KeyValues
{
    public static Dictionary<string, string> Parse(IEnumerable<string> items, string option)
    {
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in items)
        {
            var at = item.IndexOf('=', StringComparison.Ordinal);
            if (at <= 0)
            {
                throw new ArgumentException($"{option} '{item}' is not key=value.");
            }

            pairs[item[..at]] = item[(at + 1)..];
        }

        return pairs;
    }
}
