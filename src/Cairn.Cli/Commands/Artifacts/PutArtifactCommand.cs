using System.CommandLine;

namespace Cairn.Cli.Commands.Artifacts;

public static class PutArtifactCommand
{
    public static Command Create(CliContext context)
    {
        var runId = new Argument<string>("run-id") { Description = "The run to add the file to." };
        var file = new Argument<FileInfo>("file") { Description = "The local file to upload." };
        var path = new Option<string?>("--path") { Description = "A folder under the run's artifact root to put it in." };
        var command = new Command("put", "Upload a file into a run's artifacts, with progress.") { runId, file, path };
        command.SetAction(async (parsed, cancellationToken) =>
        {
            var local = parsed.GetValue(file)!;
            if (!local.Exists)
            {
                throw new ArgumentException($"No file at '{local.FullName}'.");
            }

            string? stored = null;
            var client = context.ClientFor(parsed);
            await TransferProgress.RunAsync(context, $"put {local.Name}", local.Length, async progress =>
                stored = await client.Artifacts.UploadAsync(parsed.GetValue(runId)!, local.FullName, parsed.GetValue(path), progress, cancellationToken));
            if (context.WantsJson(parsed))
            {
                context.WriteJson(new { path = stored, size = local.Length });
            }
            else
            {
                await context.Output.WriteLineAsync(stored);
            }

            return CliContext.Success;
        });
        return command;
    }
}
