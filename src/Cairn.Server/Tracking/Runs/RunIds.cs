using System.Collections.Concurrent;
using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// Maps run ids (what clients send) to the compact ids rows are keyed by. The mapping never changes once a
/// run exists, so it is cached; the write path then needs no query before it queues a write.
/// </summary>
public sealed class RunIds
{
    private const int Capacity = 100_000;
    private readonly ConcurrentDictionary<string, int> _cache = new(StringComparer.Ordinal);

    public async Task<int> ResolveAsync(CairnDb db, string runUuid, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(runUuid, out var id))
        {
            return id;
        }

        var found = await db.Runs.AsNoTracking().Where(r => r.Uuid == runUuid).Select(r => (int?)r.Id).FirstOrDefaultAsync(cancellationToken)
            ?? throw RunReader.NotFound(runUuid);
        if (_cache.Count >= Capacity)
        {
            _cache.Clear();
        }

        _cache[runUuid] = found;
        return found;
    }
}
