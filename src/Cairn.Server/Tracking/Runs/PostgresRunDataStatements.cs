using Cairn.Server.Mlflow;
using Cairn.Server.Models.Logged;
using Cairn.Server.Tracking.Experiments;
using Cairn.Server.Tracking.Metrics;
using Npgsql;

namespace Cairn.Server.Tracking.Runs;

/// <summary>
/// How <see cref="PostgresRunDataStore"/> applies one write: its rows go as arrays through <c>INSERT … SELECT FROM
/// unnest(…)</c>, a statement per table rather than per row. Two round trips for a training loop's write (savepoint,
/// checks and the keys' latest points; then params, tags, segments, rollups and release), one more when some points
/// may be replays, and one more to release the savepoint after params. The checks, their order and the errors are
/// those of the SQLite store.
/// </summary>
public sealed class PostgresRunDataStatements
{
    private const string FindParamConflict = """
        SELECT i.k, p.value, i.v FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS i(k, v, n)
        JOIN params AS p ON p.run_id = $1 AND p.key = i.k
        WHERE p.value <> i.v ORDER BY i.n LIMIT 1
        """;

    private const string ReadLatest = "SELECT key_id, step, timestamp FROM latest_metrics WHERE run_id = $1 AND key_id = ANY($2)";

    private readonly Dictionary<string, int> _keyIds = new(StringComparer.Ordinal);

    /// <summary>Applies one write inside its own savepoint. Returns the reason it was rejected, or null.</summary>
    public async Task<Exception?> ApplyAsync(NpgsqlConnection connection, RunWrite write, CancellationToken cancellationToken)
    {
        var keyIds = KeyIds(write);
        try
        {
            var (modelIds, latest) = await BeginAsync(connection, write, keyIds, cancellationToken);
            var points = NewPoints.Of(write, keyIds, latest);
            var stored = await PostgresMetricSegments.ReadStoredAsync(connection, write.RunId, points, cancellationToken);
            await WriteRowsAsync(connection, write, keyIds, modelIds, points.Resolve(stored), cancellationToken);
            return null;
        }
        catch (MlflowException rejected)
        {
            await using var rollback = new NpgsqlBatch(connection)
            {
                BatchCommands = { new("ROLLBACK TO SAVEPOINT run_write"), new("RELEASE SAVEPOINT run_write") },
            };
            await rollback.ExecuteNonQueryAsync(cancellationToken);
            return rejected;
        }
    }

    /// <summary>The savepoint, the run's state, the ids of the logged models the points name and the latest (step, timestamp) of each key; throws the write's error.</summary>
    private static async Task<(Dictionary<string, int> ModelIds, Dictionary<int, (long, long)> Latest)> BeginAsync(
        NpgsqlConnection connection, RunWrite write, int[] keyIds, CancellationToken cancellationToken)
    {
        var modelNames = write.Metrics.Where(m => m.ModelId is not null).Select(m => m.ModelId!).Distinct(StringComparer.Ordinal).ToArray();
        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands = { new("SAVEPOINT run_write"), Command("SELECT lifecycle_stage FROM runs WHERE id = $1", write.RunId) },
        };
        if (modelNames.Length > 0)
        {
            batch.BatchCommands.Add(Command("SELECT model_id, id FROM logged_models WHERE model_id = ANY($1)", (object)modelNames));
        }

        if (keyIds.Length > 0)
        {
            batch.BatchCommands.Add(Command(ReadLatest, write.RunId, keyIds.Distinct().ToArray()));
        }

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var stage = await reader.ReadAsync(cancellationToken) ? reader.GetString(0) : null;
        var modelIds = new Dictionary<string, int>(StringComparer.Ordinal);
        if (modelNames.Length > 0)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                modelIds[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        var latest = new Dictionary<int, (long, long)>();
        if (keyIds.Length > 0)
        {
            await reader.NextResultAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                latest[reader.GetInt32(0)] = (reader.GetInt64(1), reader.GetInt64(2));
            }
        }

        await reader.DisposeAsync();
        if (stage is null)
        {
            throw RunReader.NotFound(write.RunUuid);
        }

        if (stage != Lifecycle.Active)
        {
            throw MlflowException.InvalidParameter($"The run {write.RunUuid} must be in the 'active' state. Current state is {stage}.");
        }

        // A point naming no logged model stays the run's point only, as MLflow 2.x servers log it.
        return (modelIds, latest);
    }

    /// <summary>
    /// Params (refused if one would change), tags, the new points' segments and rollups, and the models' points, in one
    /// round trip that also releases the savepoint; with params, the release waits for their check.
    /// </summary>
    private static async Task WriteRowsAsync(
        NpgsqlConnection connection, RunWrite write, int[] keyIds, Dictionary<string, int> modelIds, KeyedPoint[] points, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection);
        AddTags(batch, write);
        if (points.Length > 0)
        {
            PostgresMetricSegments.AddInsert(batch, write.RunId, points);
            PostgresMetricRows.AddRollups(batch, write.RunId, points);
        }

        PostgresMetricRows.AddModelPoints(batch, write, keyIds, modelIds);
        if (write.Params.Count == 0)
        {
            batch.BatchCommands.Add(new NpgsqlBatchCommand("RELEASE SAVEPOINT run_write"));
            await batch.ExecuteNonQueryAsync(cancellationToken);
            return;
        }

        var keys = write.Params.Select(p => p.Key!).ToArray();
        var values = write.Params.Select(p => p.Value ?? "").ToArray();
        batch.BatchCommands.Add(Command(
            "INSERT INTO params (run_id, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS i(k, v) ON CONFLICT (run_id, key) DO NOTHING",
            write.RunId, keys, values));
        batch.BatchCommands.Add(Command(FindParamConflict, write.RunId, keys, values));
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            if (await reader.ReadAsync(cancellationToken))
            {
                var (key, existing, value) = (reader.GetString(0), reader.GetString(1), reader.GetString(2));
                throw MlflowException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{key}' was already logged with value='{existing}' for run ID='{write.RunUuid}'. Attempted logging new value '{value}'.");
            }
        }

        await using var release = new NpgsqlBatch(connection) { BatchCommands = { new("RELEASE SAVEPOINT run_write") } };
        await release.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Tags as an upsert; a key sent twice keeps its last value, as when they are set one after another.</summary>
    private static void AddTags(NpgsqlBatch batch, RunWrite write)
    {
        if (write.Tags.Count == 0)
        {
            return;
        }

        var last = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in write.Tags)
        {
            last[tag.Key!] = tag.Value ?? "";
        }

        batch.BatchCommands.Add(Command(
            "INSERT INTO run_tags (run_id, key, value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS i(k, v) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
            write.RunId, last.Keys.ToArray(), last.Values.ToArray()));
        if (last.TryGetValue(RunNames.Tag, out var name))
        {
            batch.BatchCommands.Add(Command("UPDATE runs SET name = $1 WHERE id = $2", name, write.RunId));
        }
    }

    /// <summary>
    /// Inserts the metric keys of <paramref name="writes"/> not known yet, in a statement of its own before the group's
    /// transaction: a key may stay unused, and a key committed at once cannot hold up another lane or replica inserting
    /// it too. Sorted, so two inserts of overlapping keys take their locks in one order.
    /// </summary>
    public async Task AddKeysAsync(NpgsqlConnection connection, IReadOnlyList<RunWrite> writes, CancellationToken cancellationToken)
    {
        var missing = writes.SelectMany(w => w.Metrics).Select(m => m.Key!).Where(k => !_keyIds.ContainsKey(k))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (missing.Length == 0)
        {
            return;
        }

        await using var batch = new NpgsqlBatch(connection)
        {
            BatchCommands =
            {
                Command("INSERT INTO metric_keys (name) SELECT unnest($1::text[]) ON CONFLICT (name) DO NOTHING", (object)missing),
                Command("SELECT name, id FROM metric_keys WHERE name = ANY($1)", (object)missing),
            },
        };
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _keyIds[reader.GetString(0)] = reader.GetInt32(1);
        }
    }

    /// <summary>Ids of the write's metric keys, added by <see cref="AddKeysAsync"/>.</summary>
    private int[] KeyIds(RunWrite write) => [.. write.Metrics.Select(m => _keyIds[m.Key!])];

    /// <summary>
    /// A statement with positional parameters ($1, $2, …), typed by their CLR types (int[] is integer[], and so on).
    /// A lone array argument must be cast to <c>object</c>, or C# passes its elements as the parameters.
    /// </summary>
    internal static NpgsqlBatchCommand Command(string sql, params object[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        return command;
    }
}
