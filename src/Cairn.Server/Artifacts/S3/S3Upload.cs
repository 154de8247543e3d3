using System.Buffers;
using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cairn.Server.Artifacts.S3;

/// <summary>
/// Streams a body of unknown length (a request body need not be seekable) into one object. A body that fits in
/// one part goes up in a single <c>PutObject</c>; a longer one as a multipart upload, one part uploading while the
/// next is read, so at most two part buffers are held whatever the size. Nothing is visible until the upload
/// completes: on any failure or cancellation the multipart upload is aborted.
/// </summary>
public static class S3Upload
{
    /// <summary>Parts 1–1000 are 8 MiB, 1001–2000 16 MiB, and so on: S3's 10,000 parts then reach about 430 GiB.</summary>
    private const int BasePartSize = 8 * 1024 * 1024;
    private const int PartsPerSize = 1000;
    private const int MaxParts = 10_000;

    public static async Task PutAsync(IAmazonS3 s3, string bucket, string key, Stream content, CancellationToken cancellationToken)
    {
        var pool = ArrayPool<byte>.Shared;
        byte[]? filling = pool.Rent(PartSize(1));
        byte[]? sending = null;
        Task<UploadPartResponse>? inFlight = null;
        string? uploadId = null;
        try
        {
            var count = await FillAsync(content, filling, PartSize(1), cancellationToken);
            if (count < PartSize(1))
            {
                using var whole = new MemoryStream(filling, 0, count, writable: false);
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = key, InputStream = whole, UseChunkEncoding = false }, cancellationToken);
                return;
            }

            uploadId = (await s3.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = bucket, Key = key }, cancellationToken)).UploadId;
            var parts = new List<UploadPartResponse>();
            for (var number = 1; count > 0; number++)
            {
                if (number > MaxParts)
                {
                    throw new InvalidOperationException($"The upload is longer than S3's {MaxParts} parts allow (about 430 GiB).");
                }

                // Send the part just read, and read the next one meanwhile.
                (sending, filling) = (filling, sending);
                inFlight = s3.UploadPartAsync(new UploadPartRequest
                {
                    BucketName = bucket,
                    Key = key,
                    UploadId = uploadId,
                    PartNumber = number,
                    PartSize = count,
                    InputStream = new MemoryStream(sending!, 0, count, writable: false),
                    UseChunkEncoding = false, // the part is in memory: its checksum goes in a header, not an aws-chunked trailer
                }, cancellationToken);

                var nextSize = PartSize(number + 1);
                if (filling is null || filling.Length < nextSize)
                {
                    (filling, var smaller) = (pool.Rent(nextSize), filling);
                    if (smaller is not null)
                    {
                        pool.Return(smaller);
                    }
                }

                count = await FillAsync(content, filling, nextSize, cancellationToken);
                parts.Add(await inFlight);
                inFlight = null;
            }

            var complete = new CompleteMultipartUploadRequest { BucketName = bucket, Key = key, UploadId = uploadId };
            complete.AddPartETags(parts);
            await s3.CompleteMultipartUploadAsync(complete, cancellationToken);
        }
        catch when (uploadId is not null)
        {
            if (inFlight is not null)
            {
                // The part buffer goes back to the pool below: wait until the SDK is done with it.
                await inFlight.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }

            await AbortAsync(s3, bucket, key, uploadId);
            throw;
        }
        finally
        {
            foreach (var buffer in (byte[]?[])[filling, sending])
            {
                if (buffer is not null)
                {
                    pool.Return(buffer);
                }
            }
        }
    }

    private static async Task AbortAsync(IAmazonS3 s3, string bucket, string key, string uploadId)
    {
        try
        {
            await s3.AbortMultipartUploadAsync(bucket, key, uploadId, CancellationToken.None);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            // Already gone: completed after all, or aborted by a lifecycle rule.
        }
    }

    private static int PartSize(int partNumber) => BasePartSize * (1 + ((partNumber - 1) / PartsPerSize));

    /// <summary>Reads until <paramref name="size"/> bytes or the end of <paramref name="content"/>; returns how many.</summary>
    private static async Task<int> FillAsync(Stream content, byte[] buffer, int size, CancellationToken cancellationToken)
    {
        var filled = 0;
        while (filled < size)
        {
            var read = await content.ReadAsync(buffer.AsMemory(filled, size - filled), cancellationToken);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
