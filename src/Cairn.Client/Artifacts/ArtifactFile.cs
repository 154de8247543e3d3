namespace Cairn.Client.Artifacts;

/// <summary>A file or folder among a run's artifacts.</summary>
/// <param name="Path">Its path relative to the run's artifact root, such as <c>model/MLmodel</c>.</param>
/// <param name="IsDirectory">Whether it is a folder.</param>
/// <param name="Size">Its size in bytes; null for folders.</param>
public sealed record ArtifactFile(string Path, bool IsDirectory, long? Size);
