using System.CommandLine;

namespace Cairn.Cli.Commands.Artifacts;

public static class GetArtifactCommand
{
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("run-id") { Description = "The run the file belongs to." };
        var path = new Argument<string>("path") { Description = "The file's path under the run's artifact root." };
        var output = new Option<FileInfo?>("--out", "-o") { Description = "Where to write it: a file, or a folder to put it in (default: its name in the current folder)." };
        var command = new Command("get", "Download a file from a run's artifacts, with progress.") { runId, path, output };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var artifact = parsed.GetValue(path)!;
            var destination = Destination(parsed.GetValue(output)?.FullName, artifact);
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
        });
        return command;
    }

    /// <summary>The file to write, checked before anything is downloaded: a missing folder is a usage error naming it.</summary>
    private static string Destination(string? given, string artifact)
    {
        var name = Path.GetFileName(artifact.TrimEnd('/'));
        var destination = given is null ? Path.GetFullPath(name) : Directory.Exists(given) ? Path.Combine(given, name) : given;
        var folder = Path.GetDirectoryName(destination);
        return folder is null || Directory.Exists(folder)
            ? destination
            : throw new ArgumentException($"--out: there is no folder '{folder}' to write '{Path.GetFileName(destination)}' into.");
    }
}
