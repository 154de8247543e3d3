using Cairn.Client;

namespace Cairn.Cli.Commands.Runs;

/// <summary>
/// A run search of an experiment that does not exist answers an empty list; the CLI asks for
/// each experiment first, so a mistyped id fails with the server's RESOURCE_DOES_NOT_EXIST instead of printing nothing.
/// </summary>
public static class KnownExperiments
{
    public static async Task EnsureAsync(CairnClient client, IEnumerable<string> experimentIds, CancellationToken cancellationToken)
    {
        foreach (var id in experimentIds.Distinct(StringComparer.Ordinal))
        {
            await client.Experiments.GetAsync(id, cancellationToken);
        }
    }
}
