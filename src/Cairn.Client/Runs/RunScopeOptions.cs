namespace Cairn.Client.Runs;

/// <summary>How a <see cref="RunScope"/> sends its buffered metrics.</summary>
public sealed class RunScopeOptions
{
    /// <summary>Most points in one log-batch request (the server accepts up to 1,000).</summary>
    public int MaxBatchSize { get; init; } = 1000;

    /// <summary>How long a partly filled batch waits for more points before it is sent.</summary>
    public TimeSpan Linger { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How many times a batch is retried after a transient failure (no answer, 408, 429, 5xx).</summary>
    public int MaxRetries { get; init; } = 8;

    /// <summary>The first wait before a retry; each later wait doubles, up to 30 seconds.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(200);
}
