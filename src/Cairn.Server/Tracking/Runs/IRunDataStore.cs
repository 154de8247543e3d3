namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// The store's half of <see cref="RunDataWriter"/>: applies a group of writes in one transaction, each in a
/// savepoint of its own so a rejected write leaves none of its rows, and commits durably. SQLite binds prepared
/// statements row by row through its own API; PostgreSQL sends each write's rows as arrays in a few round trips.
/// Chosen once at start, from <c>--database</c>.
/// </summary>
public interface IRunDataStore : IAsyncDisposable
{
    /// <summary>
    /// Commits <paramref name="writes"/> together; returns, per write, why it was rejected (an MLflow error) or null.
    /// Throws when the transaction as a whole failed: then nothing was stored, and the next call starts clean.
    /// </summary>
    Task<Exception?[]> CommitAsync(IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken);
}
