using System.CommandLine;

namespace Cairn.Cli.Commands.Artifacts;

public static class GetArtifactCommand
{
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("run-id") { Description = "The run the file belongs to." };
        var path = new Argument<string>("path") { Description = "The file's path under the run's artifact root." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Where to write it (default: its name in the current folder)." };
        var command = new Command("get", "Download a file from a run's artifacts, with progress.") { runId, path, output };
        command.SetAction((parsed, cancellationToken) => context.RunAsync(async () =>
        {
            var artifact = parsed.GetValue(path)!;
            var destination = parsed.GetValue(output)?.FullName ?? Path.GetFullPath(Path.GetFileName(artifact.TrimEnd('/')));
            var client = context.ClientFor(parsed);
            var size = await client.Artifacts.SizeAsync(parsed.GetValue(runId)!, artifact, cancellationToken);
            var bytes = await TransferProgress.RunAsync(context, $"get {Path.GetFileName(destination)}", size, progress =>
                client.Artifacts.DownloadAsync(parsed.GetValue(runId)!, artifact, destination, progress, cancellationToken));
            if (context.WantsJson(parsed))
            {
                context.WriteJson(new { path = destination, size = bytes });
            }
            else
            {
                await context.Output.WriteLineAsync(destination);
            }

            return CliContext.Success;
        }));
        return command;
    }
}
