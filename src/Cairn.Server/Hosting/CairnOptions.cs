using System.ComponentModel.DataAnnotations;

namespace Cairn.Server.Hosting;

/// <summary>Server settings, bound from configuration (<c>--data</c>, <c>CAIRN_DATA</c>, <c>Cairn:*</c>) and validated at start.</summary>
public enum SqliteSynchronous
{
    Normal,
    Full,
}

public sealed class CairnOptions : IValidatableObject
{
    public const string Section = "Cairn";

    /// <summary>Folder for the embedded database and local artifacts. Relative paths resolve against the working directory.</summary>
    public string Data { get; set; } = "cairn-data";

    /// <summary>
    /// Database: empty for SQLite under <see cref="Data"/>, a SQLite connection string (<c>Data Source=...</c>), or a
    /// PostgreSQL one (<c>Host=...;Database=...</c> or <c>postgres://user:password@host:port/database</c>).
    /// </summary>
    public string? Database { get; set; }

    /// <summary>Path prefix the server is mounted under, such as <c>/mlflow</c>.</summary>
    public string? PathBase { get; set; }

    /// <summary>Largest request body accepted by the tracking API, in bytes.</summary>
    [Range(64 * 1024, 1024 * 1024 * 1024)]
    public long MaxRequestBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>
    /// When SQLite syncs to disk. <c>Normal</c> (default): a commit survives the process being killed at any
    /// moment; a power cut may lose the last commits. <c>Full</c>: every commit is synced before it is acknowledged.
    /// </summary>
    public SqliteSynchronous SqliteSynchronous { get; set; } = SqliteSynchronous.Normal;

    public string DataPath => Path.GetFullPath(Data);

    public string ArtifactsPath => Path.Combine(DataPath, "artifacts");

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (string.IsNullOrWhiteSpace(Data))
        {
            yield return new ValidationResult("The data folder (--data, CAIRN_DATA) must not be empty.", [nameof(Data)]);
        }
        else if (File.Exists(DataPath))
        {
            yield return new ValidationResult($"The data folder (--data, CAIRN_DATA) '{DataPath}' is a file, not a folder.", [nameof(Data)]);
        }

        if (!string.IsNullOrEmpty(Database) && DatabaseSettings.Parse(this, out var error) is null)
        {
            yield return new ValidationResult(
                $"The database (--database, CAIRN_DATABASE) '{DatabaseSettings.Redact(Database)}' is not usable: {error}.",
                [nameof(Database)]);
        }

        if (!string.IsNullOrEmpty(PathBase) && (!PathBase.StartsWith('/') || PathBase.EndsWith('/')))
        {
            yield return new ValidationResult($"The path base (--path-base, CAIRN_PATH_BASE) '{PathBase}' must start with '/' and not end with '/'.", [nameof(PathBase)]);
        }
    }
}
