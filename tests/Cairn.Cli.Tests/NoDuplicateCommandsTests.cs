using System.CommandLine;

namespace Cairn.Cli.Tests;

public sealed class NoDuplicateCommandsTests
{
    [Fact]
    public void No_two_commands_or_options_share_a_name_under_one_parent()
    {
        var root = CliApp.Build(new CliContext(TextWriter.Null, TextWriter.Null, _ => null));

        foreach (var command in All(root))
        {
            var names = command.Subcommands.Select(c => c.Name).Concat(command.Options.Select(o => o.Name)).ToList();
            Assert.True(names.Count == names.Distinct(StringComparer.Ordinal).Count(), $"duplicate names under '{command.Name}': {string.Join(", ", names)}");
            Assert.False(string.IsNullOrWhiteSpace(command.Description), $"'{command.Name}' has no description");
        }
    }

    private static IEnumerable<Command> All(Command command) => command.Subcommands.SelectMany(All).Prepend(command);
}
