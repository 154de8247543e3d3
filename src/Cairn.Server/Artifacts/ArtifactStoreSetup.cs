using Cairn.Server.Artifacts.S3;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Artifacts;

/// <summary>Registers the artifact store <c>Cairn:Artifacts:Store</c> names, and checks at start that it answers.</summary>
public static class ArtifactStoreSetup
{
    public static IServiceCollection AddCairnArtifactStore(this IServiceCollection services)
    {
        services.AddOptions<ArtifactStoreOptions>()
            .BindConfiguration(ArtifactStoreOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<IArtifactStore>(provider => provider.GetRequiredService<IOptions<ArtifactStoreOptions>>().Value.IsS3
            ? ActivatorUtilities.CreateInstance<S3ArtifactStore>(provider)
            : ActivatorUtilities.CreateInstance<LocalArtifactStore>(provider));
        return services;
    }

    /// <summary>Fails the start when the S3 bucket is missing or out of reach (or creates it, when told to).</summary>
    public static async Task CheckCairnArtifactStoreAsync(this WebApplication app, CancellationToken cancellationToken = default)
    {
        if (app.Services.GetRequiredService<IArtifactStore>() is S3ArtifactStore s3)
        {
            await s3.CheckBucketAsync(cancellationToken);
        }
    }
}
