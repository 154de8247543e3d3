using Amazon;
using Amazon.Runtime;
using Amazon.S3;

namespace Cairn.Server.Artifacts.S3;

/// <summary>The S3 client for <see cref="S3StoreOptions"/>: an endpoint and path-style addressing for S3-compatible servers, a region for AWS.</summary>
public static class S3Connection
{
    public static AmazonS3Client CreateClient(S3StoreOptions options)
    {
        var config = new AmazonS3Config { ForcePathStyle = options.EffectiveForcePathStyle };
        if (string.IsNullOrEmpty(options.Endpoint))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.EffectiveRegion);
        }
        else
        {
            config.ServiceURL = options.Endpoint;
            config.AuthenticationRegion = options.EffectiveRegion;
        }

        // Explicit keys skip the SDK's credential search (profiles, instance metadata), which is slow where there is none.
        return Credentials(options) is { } credentials ? new AmazonS3Client(credentials, config) : new AmazonS3Client(config);
    }

    /// <summary>Where the bucket is, for messages: the endpoint URL, or the AWS region.</summary>
    public static string Describe(S3StoreOptions options) =>
        string.IsNullOrEmpty(options.Endpoint) ? $"AWS region {options.EffectiveRegion}" : options.Endpoint;

    /// <summary>The configured keys, else the standard AWS variables, else null for the SDK's own search.</summary>
    private static AWSCredentials? Credentials(S3StoreOptions options)
    {
        if (!string.IsNullOrEmpty(options.AccessKey) && !string.IsNullOrEmpty(options.SecretKey))
        {
            return new BasicAWSCredentials(options.AccessKey, options.SecretKey);
        }

        var accessKey = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secretKey = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        var sessionToken = Environment.GetEnvironmentVariable("AWS_SESSION_TOKEN");
        if (string.IsNullOrEmpty(accessKey) || string.IsNullOrEmpty(secretKey))
        {
            return null;
        }

        return string.IsNullOrEmpty(sessionToken)
            ? new BasicAWSCredentials(accessKey, secretKey)
            : new SessionAWSCredentials(accessKey, secretKey, sessionToken);
    }
}
