namespace Cairn.Server.Artifacts;

/// <summary>Artifact URIs Cairn hands out (<c>mlflow-artifacts:/&lt;experiment&gt;/&lt;run&gt;/artifacts</c>) and the store paths they name.</summary>
public static class ArtifactUris
{
    public const string Scheme = "mlflow-artifacts:";

    /// <summary>The store path behind <paramref name="uri"/>, or null when the URI points somewhere Cairn does not store.</summary>
    public static string? StorePath(string uri) =>
        uri.StartsWith(Scheme, StringComparison.Ordinal) ? ArtifactPath.Normalize(uri[Scheme.Length..].TrimStart('/'), "artifact_uri") : null;
}
