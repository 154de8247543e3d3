using Amazon.S3.Model;
using Cairn.Server.Tests.Infrastructure;

namespace Cairn.Server.Tests.Artifacts;

/// <summary>The artifact store a test's server runs on, and what that store holds, seen from outside the server.</summary>
public abstract class ArtifactBackend
{
    /// <summary>Settings that put the server's artifacts in this store.</summary>
    public abstract Dictionary<string, string?> Settings { get; }

    /// <summary>Every stored file under <paramref name="folder"/>, as paths from the store's root, in ordinal order.</summary>
    public abstract Task<IReadOnlyList<string>> FilesAsync(CairnApp app, string folder = "");

    /// <summary>Uploads begun and neither completed nor cleaned up.</summary>
    public abstract Task<int> PendingUploadsAsync(CairnApp app);

    /// <summary>Stores <paramref name="text"/> beside the artifact root, where no artifact path may reach.</summary>
    public abstract Task PlantOutsideAsync(CairnApp app, string text);

    public abstract Task<string> ReadOutsideAsync(CairnApp app);
}

/// <summary>Files under <c>&lt;data&gt;/artifacts</c>; uploads in progress under <c>&lt;data&gt;/uploads</c>; the planted file at <c>&lt;data&gt;/secret.txt</c>.</summary>
public sealed class LocalBackend : ArtifactBackend
{
    public override Dictionary<string, string?> Settings => [];

    public override Task<IReadOnlyList<string>> FilesAsync(CairnApp app, string folder = "")
    {
        var root = Path.Combine(app.DataPath, "artifacts");
        var directory = Path.Combine(root, folder);
        IReadOnlyList<string> files = Directory.Exists(directory)
            ? [.. Directory.GetFiles(directory, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(root, f)).Order(StringComparer.Ordinal)]
            : [];
        return Task.FromResult(files);
    }

    public override Task<int> PendingUploadsAsync(CairnApp app) =>
        Task.FromResult(Directory.GetFiles(Path.Combine(app.DataPath, "uploads")).Length);

    public override Task PlantOutsideAsync(CairnApp app, string text) => File.WriteAllTextAsync(Outside(app), text);

    public override Task<string> ReadOutsideAsync(CairnApp app) => File.ReadAllTextAsync(Outside(app));

    private static string Outside(CairnApp app) => Path.Combine(app.DataPath, "secret.txt");
}

/// <summary>Objects in the moto bucket under a prefix of this test's own, <c>t-&lt;guid&gt;/artifacts</c>; the planted object at <c>t-&lt;guid&gt;/secret.txt</c>.</summary>
public sealed class S3Backend(MotoServer moto) : ArtifactBackend
{
    private readonly string _test = $"t-{Guid.NewGuid():N}";

    public string Prefix => $"{_test}/artifacts";

    public override Dictionary<string, string?> Settings => moto.StoreSettings(Prefix);

    public override async Task<IReadOnlyList<string>> FilesAsync(CairnApp app, string folder = "")
    {
        using var s3 = moto.CreateClient();
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = MotoServer.Bucket, Prefix = folder.Length == 0 ? $"{Prefix}/" : $"{Prefix}/{folder}/" };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key[(Prefix.Length + 1)..]));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return [.. keys.Order(StringComparer.Ordinal)];
    }

    public override async Task<int> PendingUploadsAsync(CairnApp app)
    {
        using var s3 = moto.CreateClient();
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = MotoServer.Bucket, Prefix = $"{Prefix}/" });
        return uploads.MultipartUploads?.Count ?? 0;
    }

    public override async Task PlantOutsideAsync(CairnApp app, string text)
    {
        using var s3 = moto.CreateClient();
        await s3.PutObjectAsync(new PutObjectRequest { BucketName = MotoServer.Bucket, Key = $"{_test}/secret.txt", ContentBody = text });
    }

    public override async Task<string> ReadOutsideAsync(CairnApp app)
    {
        using var s3 = moto.CreateClient();
        using var response = await s3.GetObjectAsync(MotoServer.Bucket, $"{_test}/secret.txt");
        using var reader = new StreamReader(response.ResponseStream);
        return await reader.ReadToEndAsync();
    }
}
