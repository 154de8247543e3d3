using System.Net.Http.Headers;
using Cairn.Client.Runs;
using Cairn.Client.Transport;

namespace Cairn.Client.Artifacts;

/// <summary>
/// A run's artifacts, streamed through the server's proxied artifact routes (the same ones MLflow clients use):
/// nothing is held in memory whole, and progress is reported in bytes as they move.
/// </summary>
public sealed class ArtifactsClient
{
    private const string ProxyPrefix = "api/2.0/mlflow-artifacts/artifacts/";
    private const string ProxyScheme = "mlflow-artifacts:";
    private const int BufferSize = 1 << 20;
    private readonly MlflowTransport _transport;
    private readonly RunsClient _runs;

    internal ArtifactsClient(MlflowTransport transport, RunsClient runs) => (_transport, _runs) = (transport, runs);

    /// <summary>One level of the run's artifacts under <paramref name="path"/> (the root when null).</summary>
    /// <exception cref="ArgumentException">The path has a <c>..</c>, <c>.</c> or empty segment, a backslash or a URI scheme.</exception>
    public async Task<IReadOnlyList<ArtifactFile>> ListAsync(string runId, string? path = null, CancellationToken cancellationToken = default)
    {
        var folder = ArtifactPath.CheckFolder(path);
        var answer = await _transport.GetAsync<ArtifactsAnswer>("artifacts/list", [("run_id", runId), ("path", folder)], cancellationToken);
        return (answer.Files ?? []).Select(f => new ArtifactFile(f.Path, f.IsDir, f.FileSize)).ToList();
    }

    /// <summary>Uploads <paramref name="localFile"/> into the run's artifacts, under <paramref name="artifactPath"/> when given.</summary>
    /// <returns>The file's path relative to the run's artifact root.</returns>
    /// <exception cref="ArgumentException">The path has a <c>..</c>, <c>.</c> or empty segment, a backslash or a URI scheme.</exception>
    public async Task<string> UploadAsync(
        string runId, string localFile, string? artifactPath = null, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var folder = ArtifactPath.CheckFolder(artifactPath);
        var relative = folder is null ? Path.GetFileName(localFile) : $"{folder}/{Path.GetFileName(localFile)}";
        var root = await RootAsync(runId, cancellationToken);
        var file = new FileStream(localFile, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        using var content = new StreamContent(new ProgressStream(file, progress), BufferSize);
        content.Headers.ContentLength = file.Length;
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, ProxyUri(root, relative)) { Content = content };
        using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return relative;
    }

    /// <summary>Downloads the run's artifact at <paramref name="artifactPath"/> to <paramref name="destinationFile"/>, which appears only once complete.</summary>
    /// <exception cref="ArgumentException">The path has a <c>..</c>, <c>.</c> or empty segment, a backslash or a URI scheme.</exception>
    public async Task DownloadAsync(
        string runId, string artifactPath, string destinationFile, IProgress<long>? progress = null, CancellationToken cancellationToken = default)
    {
        var relative = ArtifactPath.Check(artifactPath);
        var root = await RootAsync(runId, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, ProxyUri(root, relative));
        using var response = await _transport.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        var partial = destinationFile + ".partial";
        try
        {
            await using (var source = new ProgressStream(await response.Content.ReadAsStreamAsync(cancellationToken), progress))
            await using (var target = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
            {
                await source.CopyToAsync(target, BufferSize, cancellationToken);
            }

            File.Move(partial, destinationFile, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>The size of the artifact at <paramref name="artifactPath"/>, or null when the server does not list it.</summary>
    /// <exception cref="ArgumentException">The path has a <c>..</c>, <c>.</c> or empty segment, a backslash or a URI scheme.</exception>
    public async Task<long?> SizeAsync(string runId, string artifactPath, CancellationToken cancellationToken = default)
    {
        var trimmed = ArtifactPath.Check(artifactPath);
        var slash = trimmed.LastIndexOf('/');
        var files = await ListAsync(runId, slash < 0 ? null : trimmed[..slash], cancellationToken);
        return files.FirstOrDefault(f => f.Path == trimmed && !f.IsDirectory)?.Size;
    }

    private async Task<string> RootAsync(string runId, CancellationToken cancellationToken)
    {
        var uri = (await _runs.GetAsync(runId, cancellationToken)).ArtifactUri;
        return uri.StartsWith(ProxyScheme, StringComparison.Ordinal)
            ? uri[ProxyScheme.Length..].Trim('/')
            : throw new CairnApiException(0, null, $"The run's artifacts live at '{uri}', not on the server; read them from there.");
    }

    private static string ProxyUri(string root, string relative) =>
        ProxyPrefix + string.Join('/', $"{root}/{relative}".Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.EscapeDataString));
}
