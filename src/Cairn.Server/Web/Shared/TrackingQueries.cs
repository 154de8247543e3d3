using Cairn.Server.Data;

namespace Cairn.Server.Web.Shared;

/// <summary>
/// Runs one query of the tracking feature code on a database context of its own. A page lives for a whole
/// circuit and may load several things at once; a <see cref="CairnDb"/> is meant for one unit of work.
/// </summary>
public sealed class TrackingQueries(IServiceScopeFactory scopes)
{
    public async Task<T> RunAsync<T>(Func<CairnDb, CancellationToken, Task<T>> query, CancellationToken cancellationToken = default)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CairnDb>();
        return await query(db, cancellationToken);
    }
}
