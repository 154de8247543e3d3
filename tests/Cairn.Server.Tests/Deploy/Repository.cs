using System.Text.RegularExpressions;

namespace Cairn.Server.Tests.Deploy;

/// <summary>The checkout the tests were built from, found by walking up from the test binaries to <c>Cairn.slnx</c>.</summary>
internal static partial class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));

    /// <summary>The environment variables named in the README's configuration table (its second column).</summary>
    public static IReadOnlySet<string> DocumentedVariables()
    {
        var readme = Read("README.md");
        var start = readme.IndexOf("\n## Configuration", StringComparison.Ordinal);
        Assert.True(start >= 0, "README.md has no Configuration section.");
        var end = readme.IndexOf("\n## ", start + 1, StringComparison.Ordinal);
        var section = readme[start..(end < 0 ? readme.Length : end)];
        return section.Split('\n')
            .Where(line => line.StartsWith('|'))
            .Select(line => line.Split('|'))
            .Where(cells => cells.Length > 3)
            .SelectMany(cells => Quoted().Matches(cells[2]).Select(match => match.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);
    }

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cairn.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No Cairn.slnx above {AppContext.BaseDirectory}: the deploy tests read the repository's files.");
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Quoted();
}
