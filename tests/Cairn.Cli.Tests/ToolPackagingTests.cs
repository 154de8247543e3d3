using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Cairn.Cli.Tests;

/// <summary>
/// <c>cairn</c> is installed once as a .NET tool rather than started with <c>dotnet run</c> (4–5 s a call): the project
/// packs as the tool the README installs, and the README's examples call it by that name.
/// </summary>
public sealed partial class ToolPackagingTests
{
    [GeneratedRegex(@"dotnet pack src/Cairn\.Cli -o (?<source>\S+) && dotnet tool install --global --add-source (?<added>\S+) --ignore-failed-sources (?<id>\S+)")]
    private static partial Regex InstallLine();

    [Fact]
    public void The_cli_packs_as_the_cairn_tool_the_readme_installs()
    {
        var root = RepositoryRoot();
        var project = XDocument.Load(Path.Combine(root, "src", "Cairn.Cli", "Cairn.Cli.csproj"));
        string? Property(string name) => project.Descendants(name).SingleOrDefault()?.Value;
        var readme = File.ReadAllText(Path.Combine(root, "README.md"));
        var cliSection = readme[readme.IndexOf("## Quickstart with the `cairn` CLI", StringComparison.Ordinal)..readme.IndexOf("## Webhooks", StringComparison.Ordinal)];

        var install = InstallLine().Match(cliSection);

        Assert.Equal("true", Property("PackAsTool"));
        Assert.Equal("cairn", Property("ToolCommandName"));
        Assert.True(install.Success, "the README's CLI section packs the tool and installs it from the pack");
        Assert.Equal(install.Groups["source"].Value, install.Groups["added"].Value);
        Assert.Equal(Property("PackageId"), install.Groups["id"].Value);
        Assert.DoesNotContain("alias cairn=", cliSection, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Cairn.slnx")))
            {
                return folder.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No Cairn.slnx above {AppContext.BaseDirectory}.");
    }
}
