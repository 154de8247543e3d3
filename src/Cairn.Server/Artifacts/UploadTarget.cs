using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Artifacts;

/// <summary>
/// An upload lands only under the artifact root of a run or a logged model that exists
/// (<c>&lt;experiment&gt;/&lt;run&gt;/artifacts/...</c>, <c>&lt;experiment&gt;/models/&lt;model&gt;/artifacts/...</c>), so a
/// path a client built wrongly, or on purpose, cannot write beside the runs or into another experiment's folder.
/// </summary>
public static class UploadTarget
{
    /// <summary>Passes when <paramref name="path"/> (normalized) lies under such a root; a 400 naming the path otherwise.</summary>
    public static async Task RequireAsync(CairnDb db, string path, CancellationToken cancellationToken)
    {
        var segments = path.Split('/');
        for (var i = segments.Length - 2; i >= 1; i--)
        {
            if (segments[i] != "artifacts")
            {
                continue;
            }

            var root = string.Join('/', segments[..(i + 1)]);
            var owner = segments[i - 1];
            var uris = owner.StartsWith("m-", StringComparison.Ordinal)
                ? await db.LoggedModels.AsNoTracking().Where(m => m.ModelId == owner).Select(m => m.ArtifactUri).ToListAsync(cancellationToken)
                : await db.Runs.AsNoTracking().Where(r => r.Uuid == owner).Select(r => r.ArtifactUri).ToListAsync(cancellationToken);
            if (uris.Any(uri => ArtifactUris.StorePath(uri) == root))
            {
                return;
            }
        }

        throw MlflowException.InvalidParameter(
            $"Invalid artifact path '{path}': uploads go under a run's or a logged model's artifact root (<experiment>/<run>/artifacts/...), and no run or model has its root here.");
    }
}
