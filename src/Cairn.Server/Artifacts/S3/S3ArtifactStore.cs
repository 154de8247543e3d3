using System.IO.Pipelines;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;
using Cairn.Server.Mlflow;
using static Cairn.Server.Hosting.CommandLineSettings;
using Microsoft.Extensions.Options;

namespace Cairn.Server.Artifacts.S3;

/// <summary>
/// Artifacts as objects in an S3-compatible bucket, at <c>&lt;prefix&gt;/&lt;path&gt;</c>. Folders are key prefixes;
/// a listing is one <c>ListObjectsV2</c> level with <c>/</c> as delimiter. Downloads read lazily in ranged requests
/// (<see cref="S3ObjectStream"/>), uploads stream through bounded part buffers (<see cref="S3Upload"/>), so neither
/// holds a whole file in memory.
/// </summary>
public sealed partial class S3ArtifactStore : IArtifactStore, IDisposable
{
    private const int DeleteBatch = 1000;
    private readonly IAmazonS3 _s3;
    private readonly S3StoreOptions _options;
    private readonly string _bucket;
    private readonly string _prefix;
    private readonly ILogger<S3ArtifactStore> _logger;

    public S3ArtifactStore(IOptions<ArtifactStoreOptions> options, ILogger<S3ArtifactStore> logger)
    {
        _options = options.Value.S3;
        _s3 = S3Connection.CreateClient(_options);
        _bucket = _options.Bucket;
        _prefix = _options.NormalizedPrefix;
        _logger = logger;
    }

    public async Task<IReadOnlyList<ArtifactEntry>> ListAsync(string directory, CancellationToken cancellationToken)
    {
        var prefix = FolderKey(directory);
        var entries = new List<ArtifactEntry>();
        await foreach (var page in PagesAsync(new ListObjectsV2Request { BucketName = _bucket, Prefix = prefix, Delimiter = "/" }, cancellationToken))
        {
            entries.AddRange((page.CommonPrefixes ?? []).Select(p => new ArtifactEntry(p[prefix.Length..].TrimEnd('/'), true, null)));
            entries.AddRange((page.S3Objects ?? [])
                .Where(o => o.Key.Length > prefix.Length) // a folder marker some tools write at "<folder>/"
                .Select(o => new ArtifactEntry(o.Key[prefix.Length..], false, o.Size)));
        }

        return entries.Where(e => e.Name.Length > 0).OrderBy(e => e.Name, StringComparer.Ordinal).ToList();
    }

    public async Task<ArtifactContent?> OpenAsync(string path, CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            return null;
        }

        var key = Key(path);
        GetObjectMetadataResponse head;
        try
        {
            head = await _s3.GetObjectMetadataAsync(_bucket, key, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        var length = head.ContentLength;
        var lastModified = head.LastModified is { } modified ? new DateTimeOffset(modified.ToUniversalTime()) : DateTimeOffset.UtcNow;
        return new ArtifactContent(new S3ObjectStream(_s3, _bucket, key, length, head.ETag), length, lastModified);
    }

    public async Task PutAsync(string path, PipeReader content, CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid artifact path in 'path': an upload needs a file name.");
        }

        var key = Key(path);
        var underneath = await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = key + "/", MaxKeys = 1 }, cancellationToken);
        if (underneath.KeyCount > 0)
        {
            throw MlflowException.InvalidParameter($"Invalid artifact path in 'path': '{path}' is a directory.");
        }

        await S3Upload.PutAsync(_s3, _bucket, key, content.AsStream(leaveOpen: true), cancellationToken);
    }

    public async Task DeleteAsync(string path, CancellationToken cancellationToken)
    {
        if (path.Length == 0)
        {
            throw MlflowException.InvalidParameter("Invalid artifact path in 'path': the artifact root cannot be deleted.");
        }

        var key = Key(path);
        await DeleteKeysAsync([key], cancellationToken);
        // List the first keys left under the folder and delete them, until none are left.
        var under = new ListObjectsV2Request { BucketName = _bucket, Prefix = key + "/", MaxKeys = DeleteBatch };
        while ((await _s3.ListObjectsV2Async(under, cancellationToken)).S3Objects is { Count: > 0 } batch)
        {
            await DeleteKeysAsync(batch.Select(o => o.Key).ToList(), cancellationToken);
        }
    }

    public async Task<string?> ProbeAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, MaxKeys = 1 }, cancellationToken);
            return null;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            return $"Bucket '{_bucket}' at {S3Connection.Describe(_options)} does not answer: {e.GetType().Name}: {e.Message}";
        }
    }

    /// <summary>Checks at start that the bucket answers, creating it when <see cref="S3StoreOptions.CreateBucket"/> says so.</summary>
    public async Task CheckBucketAsync(CancellationToken cancellationToken)
    {
        var bucket = $"{Describe($"{ArtifactStoreOptions.Section}:S3:Bucket")} names bucket '{_bucket}' at {S3Connection.Describe(_options)}";
        try
        {
            await _s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = _bucket, Prefix = _prefix, MaxKeys = 1 }, cancellationToken);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound && _options.CreateBucket)
        {
            await _s3.PutBucketAsync(new PutBucketRequest { BucketName = _bucket, UseClientRegion = true }, cancellationToken);
            LogBucketCreated(_logger, _bucket);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            throw new InvalidOperationException(
                $"{bucket}, which does not exist. Create it, or set {Describe($"{ArtifactStoreOptions.Section}:S3:CreateBucket")} to true to have Cairn create it.", e);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
        {
            throw new InvalidOperationException($"{bucket}, which refused access ({e.ErrorCode}: {e.Message}). Check the access key and secret key.", e);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new InvalidOperationException($"{bucket}, which cannot be reached: {e.GetType().Name}: {e.Message}", e);
        }

        LogUsing(_logger, _bucket, _prefix, S3Connection.Describe(_options));
    }

    public void Dispose() => _s3.Dispose();

    private async Task DeleteKeysAsync(List<string> keys, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var response = await _s3.DeleteObjectsAsync(new DeleteObjectsRequest
        {
            BucketName = _bucket,
            Quiet = true,
            Objects = keys.Select(k => new KeyVersion { Key = k }).ToList(),
        }, cancellationToken);
        if (response.DeleteErrors is { Count: > 0 } errors)
        {
            throw new IOException($"S3 kept {errors.Count} of {keys.Count} objects it was asked to delete; the first: '{errors[0].Key}' ({errors[0].Code}: {errors[0].Message}).");
        }
    }

    private async IAsyncEnumerable<ListObjectsV2Response> PagesAsync(
        ListObjectsV2Request request, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ListObjectsV2Response page;
        do
        {
            page = await _s3.ListObjectsV2Async(request, cancellationToken);
            yield return page;
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);
    }

    private string Key(string path) => ArtifactPath.Join(_prefix, path);

    /// <summary>The key prefix of a folder's children: <c>&lt;prefix&gt;/&lt;directory&gt;/</c>, or "" for the root of an unprefixed bucket.</summary>
    private string FolderKey(string directory) => Key(directory) is { Length: > 0 } key ? key + "/" : "";

    [LoggerMessage(Level = LogLevel.Information, Message = "Artifacts are stored in S3 bucket {Bucket} under prefix '{Prefix}' at {Endpoint}")]
    private static partial void LogUsing(ILogger logger, string bucket, string prefix, string endpoint);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Created the missing S3 bucket {Bucket} for artifacts (Cairn:Artifacts:S3:CreateBucket)")]
    private static partial void LogBucketCreated(ILogger logger, string bucket);
}
