using Cairn.Server.Artifacts;
using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Registry;

/// <summary>A checked model-version source and where its files are.</summary>
public sealed record ResolvedSource(string Source, string StorageLocation, string? RunId, string? LoggedModelId);

/// <summary>
/// Checks a model version's <c>source</c> and resolves where its files live: <c>runs:/&lt;run&gt;/path</c> to the
/// run's artifact location, <c>models:/&lt;name&gt;/&lt;version&gt;</c> to that version's files, <c>models:/m-…</c> (3.x) to
/// the logged model's files, storage URIs as
/// given. Traversal (<c>..</c>, NUL, backslashes, also percent-encoded) is refused in every form, and so are
/// paths on the server's own disk: clients upload through the proxied artifact routes instead.
/// </summary>
public static class ModelSources
{
    public static async Task<ResolvedSource> ResolveAsync(CairnDb db, string? source, string? runId, CancellationToken cancellationToken)
    {
        var text = TrackingRules.Required(source, "source");
        TrackingRules.Length(text, "source", 4096);
        if (runId is not null)
        {
            TrackingRules.RunId(runId);
        }

        var scheme = SchemeOf(text) ?? throw Invalid(text, "a path on the server's disk is not accepted; upload the files under a run and register runs:/<run_id>/<path> or its mlflow-artifacts:/ URI");
        var rest = text[(scheme.Length + 1)..];
        switch (scheme)
        {
            case "runs":
                return await FromRunAsync(db, text, rest, runId, cancellationToken);
            case "models":
                return await FromModelVersionAsync(db, text, rest, runId, cancellationToken);
            case "file":
                throw Invalid(text, "file: URIs name the server's disk and are not accepted");
            default:
                // mlflow-artifacts:/, s3://, gs://, https:// …: the client reads these itself; check the path part.
                var path = rest.StartsWith("//", StringComparison.Ordinal) ? rest[(rest.IndexOf('/', 2) is var slash and > 0 ? slash + 1 : rest.Length)..] : rest.TrimStart('/');
                Check(text, path);
                return new ResolvedSource(text, text, runId, null);
        }
    }

    private static async Task<ResolvedSource> FromRunAsync(CairnDb db, string source, string rest, string? runId, CancellationToken cancellationToken)
    {
        var trimmed = rest.TrimStart('/');
        var slash = trimmed.IndexOf('/', StringComparison.Ordinal);
        var sourceRun = TrackingRules.RunId(slash < 0 ? trimmed : trimmed[..slash], "source");
        var path = slash < 0 ? "" : Check(source, trimmed[(slash + 1)..]);
        if (runId is not null && runId != sourceRun)
        {
            throw MlflowException.InvalidParameter($"The source '{source}' names run {sourceRun}, but run_id is {runId}.");
        }

        var artifactUri = await db.Runs.AsNoTracking().Where(r => r.Uuid == sourceRun).Select(r => r.ArtifactUri).FirstOrDefaultAsync(cancellationToken)
            ?? throw MlflowException.NotFound($"Run with id={sourceRun} not found");
        return new ResolvedSource(source, path.Length == 0 ? artifactUri : $"{artifactUri.TrimEnd('/')}/{path}", sourceRun, null);
    }

    private static async Task<ResolvedSource> FromModelVersionAsync(CairnDb db, string source, string rest, string? runId, CancellationToken cancellationToken)
    {
        var parts = rest.TrimStart('/').Split('/');
        if (parts is [var loggedModelId] && loggedModelId.StartsWith("m-", StringComparison.Ordinal))
        {
            // What 3.x log_model registers: the logged model's files, and the run it came from.
            var logged = await db.LoggedModels.AsNoTracking().Where(m => m.ModelId == loggedModelId)
                .Select(m => new { m.ArtifactUri, m.SourceRunId }).FirstOrDefaultAsync(cancellationToken)
                ?? throw MlflowException.NotFound($"Logged model with ID '{loggedModelId}' not found.");
            return new ResolvedSource(source, logged.ArtifactUri, runId ?? logged.SourceRunId, loggedModelId);
        }

        if (parts.Length != 2 || parts[0].Length == 0)
        {
            throw Invalid(source, "expected models:/<name>/<version> or models:/<logged model id>");
        }

        var model = await RegistryReader.ModelAsync(db, RegistryRules.Name(parts[0], "source"), cancellationToken);
        var version = await RegistryReader.VersionAsync(db, model, RegistryRules.Version(parts[1], "source"), cancellationToken);
        return new ResolvedSource(source, version.StorageLocation, runId ?? version.RunId, version.LoggedModelId);
    }

    /// <summary>The URI scheme (<c>runs</c>, <c>s3</c>, …), or null for a plain or Windows drive path.</summary>
    private static string? SchemeOf(string source)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        if (colon < 2)
        {
            return null;
        }

        var scheme = source[..colon];
        return char.IsAsciiLetter(scheme[0]) && scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') ? scheme.ToLowerInvariant() : null;
    }

    private static string Check(string source, string path)
    {
        try
        {
            return ArtifactPath.Normalize(path.TrimEnd('/'), "source");
        }
        catch (MlflowException e)
        {
            throw Invalid(source, e.Message);
        }
    }

    private static MlflowException Invalid(string source, string why) =>
        MlflowException.InvalidParameter($"Invalid model version source: '{source}': {why}.");
}
