using Cairn.Server.Data;
using Microsoft.EntityFrameworkCore;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// The four queries <see cref="RunReader"/> runs for every page of runs, compiled once per store: a page load runs
/// them on every search, and EF's per-query preparation (cache lookup, parameter extraction) cost more than the
/// queries themselves. A compiled query keeps the model of the first context it ran on, so each store's context
/// type has its own set, and a process that opens both stores (a move between them, a test) can use either.
/// </summary>
internal sealed class RunRowQueries
{
    private static readonly RunRowQueries Sqlite = Compile<SqliteCairnDb>();
    private static readonly RunRowQueries Postgres = Compile<PostgresCairnDb>();

    public required Func<CairnDb, int[], IAsyncEnumerable<LatestRow>> LatestOf { get; init; }
    public required Func<CairnDb, int[], IAsyncEnumerable<Param>> ParamsOf { get; init; }
    public required Func<CairnDb, int[], IAsyncEnumerable<RunTag>> TagsOf { get; init; }
    public required Func<CairnDb, int[], IAsyncEnumerable<RunInput>> InputsOf { get; init; }

    public static RunRowQueries For(CairnDb db) => db is PostgresCairnDb ? Postgres : Sqlite;

    private static RunRowQueries Compile<TDb>() where TDb : CairnDb
    {
        var latest = EF.CompileAsyncQuery((TDb db, int[] ids) =>
            db.LatestMetrics.AsNoTracking().Where(m => ids.Contains(m.RunId))
                .Select(m => new LatestRow(m.RunId, m.Key.Name, m.Value, m.IsNan, m.Timestamp, m.Step)));
        var parameters = EF.CompileAsyncQuery((TDb db, int[] ids) => db.Params.AsNoTracking().Where(p => ids.Contains(p.RunId)));
        var tags = EF.CompileAsyncQuery((TDb db, int[] ids) => db.RunTags.AsNoTracking().Where(t => ids.Contains(t.RunId)));
        var inputs = EF.CompileAsyncQuery((TDb db, int[] ids) =>
            db.RunInputs.AsNoTracking().Where(i => ids.Contains(i.RunId)).Include(i => i.Dataset).Include(i => i.Tags));
        return new RunRowQueries
        {
            LatestOf = (db, ids) => latest((TDb)db, ids),
            ParamsOf = (db, ids) => parameters((TDb)db, ids),
            TagsOf = (db, ids) => tags((TDb)db, ids),
            InputsOf = (db, ids) => inputs((TDb)db, ids),
        };
    }
}

/// <summary>A run's latest value of one metric, with the metric's name.</summary>
internal sealed record LatestRow(int RunId, string Name, double Value, bool IsNan, long Timestamp, long Step);
