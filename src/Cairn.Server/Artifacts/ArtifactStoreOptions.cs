using System.ComponentModel.DataAnnotations;
using System.Text.RegularExpressions;
using static Cairn.Server.Hosting.CommandLineSettings;

namespace Cairn.Server.Artifacts;

/// <summary>Where artifacts live (<c>Cairn:Artifacts:*</c>): on the local disk under the data folder (default), or in an S3 bucket.</summary>
public sealed class ArtifactStoreOptions : IValidatableObject
{
    public const string Section = "Cairn:Artifacts";

    /// <summary><c>local</c> (files under <c>&lt;data&gt;/artifacts</c>) or <c>s3</c> (objects in <see cref="S3"/>'s bucket).</summary>
    public string Store { get; set; } = "local";

    public S3StoreOptions S3 { get; set; } = new();

    public bool IsS3 => string.Equals(Store, "s3", StringComparison.OrdinalIgnoreCase);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!IsS3 && !string.Equals(Store, "local", StringComparison.OrdinalIgnoreCase))
        {
            yield return new ValidationResult($"{Describe($"{Section}:Store")} must be 'local' or 's3', not '{Store}'.", [nameof(Store)]);
        }
        else if (IsS3)
        {
            foreach (var error in S3.Validate())
            {
                yield return new ValidationResult(error, [nameof(S3)]);
            }
        }
    }
}

/// <summary>An S3-compatible bucket (<c>Cairn:Artifacts:S3:*</c>): AWS itself when <see cref="Endpoint"/> is empty, or MinIO, moto, Ceph and the like.</summary>
public sealed partial class S3StoreOptions
{
    private const string Section = $"{ArtifactStoreOptions.Section}:S3";

    /// <summary>The service URL, such as <c>http://127.0.0.1:9000</c>; empty for AWS, whose endpoint follows from <see cref="Region"/>.</summary>
    public string? Endpoint { get; set; }

    /// <summary>The bucket; it must exist unless <see cref="CreateBucket"/> is set.</summary>
    public string Bucket { get; set; } = "";

    /// <summary>Key prefix every artifact is stored under (<c>cairn</c> puts <c>1/&lt;run&gt;/artifacts/x</c> at <c>cairn/1/&lt;run&gt;/artifacts/x</c>).</summary>
    public string? Prefix { get; set; }

    /// <summary>Region; empty for <c>AWS_REGION</c>, then <c>AWS_DEFAULT_REGION</c>, then <c>us-east-1</c>.</summary>
    public string? Region { get; set; }

    /// <summary>Access key id; empty for <c>AWS_ACCESS_KEY_ID</c>, then the SDK's own search (profiles, instance roles).</summary>
    public string? AccessKey { get; set; }

    /// <summary>Secret access key; given together with <see cref="AccessKey"/>.</summary>
    public string? SecretKey { get; set; }

    /// <summary>Path-style addressing (<c>http://host/bucket/key</c>); by default on when <see cref="Endpoint"/> is set, off for AWS.</summary>
    public bool? ForcePathStyle { get; set; }

    /// <summary>Create the bucket at start when it is missing, instead of refusing to start.</summary>
    public bool CreateBucket { get; set; }

    /// <summary>The prefix without leading, trailing or doubled slashes ("" for none).</summary>
    public string NormalizedPrefix => string.Join('/', (Prefix ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries));

    public string EffectiveRegion =>
        FirstSet(Region, Environment.GetEnvironmentVariable("AWS_REGION"), Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION")) ?? "us-east-1";

    public bool EffectiveForcePathStyle => ForcePathStyle ?? !string.IsNullOrEmpty(Endpoint);

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Bucket))
        {
            yield return $"{Describe($"{Section}:Bucket")} is required when the artifact store is s3.";
        }
        else if (!BucketName().IsMatch(Bucket))
        {
            yield return $"{Describe($"{Section}:Bucket")} '{Bucket}' is not a bucket name: 3 to 63 lower-case letters, digits, dots and hyphens, starting and ending with a letter or digit.";
        }

        if (!string.IsNullOrEmpty(Endpoint)
            && (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var endpoint) || (endpoint.Scheme != Uri.UriSchemeHttp && endpoint.Scheme != Uri.UriSchemeHttps)))
        {
            yield return $"{Describe($"{Section}:Endpoint")} '{Endpoint}' is not an http:// or https:// URL.";
        }

        if (string.IsNullOrEmpty(AccessKey) != string.IsNullOrEmpty(SecretKey))
        {
            yield return $"{Describe($"{Section}:AccessKey")} and {Describe($"{Section}:SecretKey")} go together: set both, or neither to use AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.";
        }

        if ((Prefix ?? "").Split('/').Any(segment => segment is "." or ".." || segment.Contains('\\', StringComparison.Ordinal)))
        {
            yield return $"{Describe($"{Section}:Prefix")} '{Prefix}' must not have '.' or '..' segments or backslashes.";
        }
    }

    private static string? FirstSet(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrEmpty(v));

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")]
    private static partial Regex BucketName();
}
