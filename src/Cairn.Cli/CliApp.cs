using System.CommandLine;
using Cairn.Cli.Commands.Admin;
using Cairn.Cli.Commands.Artifacts;
using Cairn.Cli.Commands.Experiments;
using Cairn.Cli.Commands.Models;
using Cairn.Cli.Commands.Runs;

namespace Cairn.Cli;

/// <summary>The <c>cairn</c> command line: a folder per noun, a file per verb.</summary>
public static class CliApp
{
    /// <summary>
    /// Runs one command line; returns 0 on success, 1 for a usage error, 2 for a server or network error, 130 when
    /// cancelled. Every failure of every command is reported here, as one line on <paramref name="error"/>.
    /// </summary>
    public static async Task<int> RunAsync(
        string[] args, TextWriter output, TextWriter error, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var context = new CliContext(output, error, environment);
        var parsed = Build(context).Parse(args);
        try
        {
            return await parsed.InvokeAsync(
                new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, cancellationToken);
        }
        catch (Exception e)
        {
            return await CommandFailure.ReportAsync(e, error);
        }
    }

    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Cairn: experiments, runs and models from the terminal.");
        root.Options.Add(CommonOptions.Server);
        root.Options.Add(CommonOptions.Json);
        root.Subcommands.Add(new Command("experiments", "Create, list, delete and restore experiments.")
        {
            ListExperimentsCommand.Create(context),
            CreateExperimentCommand.Create(context),
            DeleteExperimentCommand.Create(context),
            RestoreExperimentCommand.Create(context),
        });
        root.Subcommands.Add(new Command("runs", "List, show, search, compare, delete and restore runs.")
        {
            ListRunsCommand.Create(context),
            ShowRunCommand.Create(context),
            SearchRunsCommand.Create(context),
            CompareRunsCommand.Create(context),
            DeleteRunCommand.Create(context),
            RestoreRunCommand.Create(context),
        });
        root.Subcommands.Add(new Command("artifacts", "List, upload and download a run's files.")
        {
            ListArtifactsCommand.Create(context),
            GetArtifactCommand.Create(context),
            PutArtifactCommand.Create(context),
        });
        root.Subcommands.Add(new Command("models", "The model registry: list and show models, versions, stages, aliases, rollback and history.")
        {
            ListModelsCommand.Create(context),
            ShowModelCommand.Create(context),
            ListVersionsCommand.Create(context),
            StageCommand.Create(context),
            new Command("alias", "Set or delete a model's aliases.")
            {
                SetAliasCommand.Create(context),
                DeleteAliasCommand.Create(context),
            },
            RollbackCommand.Create(context),
            HistoryCommand.Create(context),
        });
        root.Subcommands.Add(new Command("admin", "Server upkeep.")
        {
            GcCommand.Create(context),
            MigrateStoreCommand.Create(context),
        });
        return root;
    }
}
