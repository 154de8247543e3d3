using System.IO.Pipelines;

namespace Cairn.Server.Artifacts;

/// <summary>One entry of a directory listing: its name (not its full path), whether it is a directory, and its size.</summary>
public sealed record ArtifactEntry(string Name, bool IsDirectory, long? Size);

/// <summary>A stored file opened for reading: a seekable stream (Range requests), its length and last change.</summary>
public sealed record ArtifactContent(Stream Stream, long Length, DateTimeOffset LastModified);

/// <summary>
/// Where artifact bytes live. Paths are relative, checked by <see cref="ArtifactPath"/>, <c>/</c>-separated, and
/// the same as those after <c>mlflow-artifacts:/</c> in artifact URIs (<c>&lt;experiment&gt;/&lt;run&gt;/artifacts/…</c>).
/// </summary>
public interface IArtifactStore
{
    /// <summary>One level of <paramref name="directory"/>; empty when it is missing or a file.</summary>
    Task<IReadOnlyList<ArtifactEntry>> ListAsync(string directory, CancellationToken cancellationToken);

    /// <summary>The file at <paramref name="path"/>, or null when there is none.</summary>
    Task<ArtifactContent?> OpenAsync(string path, CancellationToken cancellationToken);

    /// <summary>
    /// Stores <paramref name="content"/> at <paramref name="path"/>; visible only once complete, replacing what was
    /// there. A pipe, not a stream: a store can write the request's receive buffers as they are, without copying.
    /// </summary>
    Task PutAsync(string path, PipeReader content, CancellationToken cancellationToken);

    /// <summary>Removes the file or the whole directory at <paramref name="path"/>; nothing there is not an error.</summary>
    Task DeleteAsync(string path, CancellationToken cancellationToken);

    /// <summary>Null when the store answers; otherwise what is wrong, for <c>/health/ready</c>.</summary>
    Task<string?> ProbeAsync(CancellationToken cancellationToken);
}
