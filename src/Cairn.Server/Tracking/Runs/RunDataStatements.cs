using Cairn.Server.Data;
using Cairn.Server.Mlflow;
using Cairn.Server.Models.Logged;
using Cairn.Server.Tracking.Metrics;
using Microsoft.Data.Sqlite;

namespace Cairn.Server.Tracking.Runs;

/// <summary>The prepared statements behind <see cref="SqliteRunDataStore"/>, and how one write is applied with them.</summary>
public sealed class RunDataStatements : IDisposable
{
    private readonly Dictionary<string, int> _keyIds = new(StringComparer.Ordinal);
    private readonly Dictionary<int, LatestPoint> _latest = [];
    private readonly SqliteStatement _runState;
    private readonly SqliteStatement _findKey;
    private readonly SqliteStatement _insertKey;
    private readonly SqliteStatement _insertPoint;
    private readonly SqliteStatement _upsertLatest;
    private readonly MetricSummaryWriter _summaries;
    private readonly LoggedModelMetricStatements _modelMetrics;
    private readonly SqliteStatement _findParam;
    private readonly SqliteStatement _insertParam;
    private readonly SqliteStatement _upsertTag;
    private readonly SqliteStatement _renameRun;
    private readonly SqliteStatement _savepoint;
    private readonly SqliteStatement _release;
    private readonly SqliteStatement _rollback;

    public RunDataStatements(SqliteConnection connection)
    {
        _runState = new(connection, "SELECT lifecycle_stage FROM runs WHERE id = ?1");
        _findKey = new(connection, "SELECT id FROM metric_keys WHERE name = ?1");
        _insertKey = new(connection, "INSERT INTO metric_keys (name) VALUES (?1) ON CONFLICT (name) DO NOTHING");
        _insertPoint = new(connection,
            "INSERT INTO metrics (run_id, key_id, step, timestamp, value, is_nan) VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT DO NOTHING");
        _upsertLatest = new(connection,
            """
            INSERT INTO latest_metrics (run_id, key_id, step, timestamp, value, is_nan) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
            ON CONFLICT (run_id, key_id) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
            WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
            """);
        _summaries = new(connection);
        _modelMetrics = new(connection);
        _findParam = new(connection, "SELECT value FROM params WHERE run_id = ?1 AND key = ?2");
        _insertParam = new(connection, "INSERT INTO params (run_id, key, value) VALUES (?1, ?2, ?3)");
        _upsertTag = new(connection,
            "INSERT INTO run_tags (run_id, key, value) VALUES (?1, ?2, ?3) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value");
        _renameRun = new(connection, "UPDATE runs SET name = ?1 WHERE id = ?2");
        _savepoint = new(connection, "SAVEPOINT run_write");
        _release = new(connection, "RELEASE run_write");
        _rollback = new(connection, "ROLLBACK TO run_write");
    }

    /// <summary>Forgets cached key ids: after a failed commit, keys inserted in it no longer exist.</summary>
    public void ForgetKeys() => _keyIds.Clear();

    /// <summary>Applies one write inside its own savepoint. Returns the reason it was rejected, or null.</summary>
    public Exception? Apply(RunWrite write)
    {
        var keyIds = new int[write.Metrics.Count];
        for (var i = 0; i < keyIds.Length; i++)
        {
            keyIds[i] = KeyId(write.Metrics[i].Key!);
        }

        _savepoint.Execute();
        try
        {
            EnsureActive(write);
            _modelMetrics.Resolve(write);
            WriteParams(write);
            WriteTags(write);
            WriteMetrics(write, keyIds);
            _release.Execute();
            return null;
        }
        catch (MlflowException rejected)
        {
            _rollback.Execute();
            _release.Execute();
            return rejected;
        }
    }

    private void EnsureActive(RunWrite write)
    {
        var stage = _runState.Bind(1, write.RunId).ReadText() ?? throw RunReader.NotFound(write.RunUuid);
        if (stage != Experiments.Lifecycle.Active)
        {
            throw MlflowException.InvalidParameter($"The run {write.RunUuid} must be in the 'active' state. Current state is {stage}.");
        }
    }

    private void WriteParams(RunWrite write)
    {
        foreach (var param in write.Params)
        {
            var value = param.Value ?? "";
            var existing = _findParam.Bind(1, write.RunId).Bind(2, param.Key!).ReadText();
            if (existing is null)
            {
                _insertParam.Bind(1, write.RunId).Bind(2, param.Key!).Bind(3, value).Execute();
            }
            else if (existing != value)
            {
                throw MlflowException.InvalidParameter(
                    $"Changing param values is not allowed. Param with key='{param.Key}' was already logged with value='{existing}' for run ID='{write.RunUuid}'. Attempted logging new value '{value}'.");
            }
        }
    }

    private void WriteTags(RunWrite write)
    {
        foreach (var tag in write.Tags)
        {
            _upsertTag.Bind(1, write.RunId).Bind(2, tag.Key!).Bind(3, tag.Value ?? "").Execute();
            if (tag.Key == RunNames.Tag)
            {
                _renameRun.Bind(1, tag.Value ?? "").Bind(2, write.RunId).Execute();
            }
        }
    }

    private void WriteMetrics(RunWrite write, int[] keyIds)
    {
        _latest.Clear();
        _summaries.Clear();
        for (var i = 0; i < write.Metrics.Count; i++)
        {
            var metric = write.Metrics[i];
            var point = new LatestPoint(metric.Step ?? 0, metric.Timestamp!.Value, metric.Value!.Value);
            if (Bind(_insertPoint, write.RunId, keyIds[i], point).ExecuteChanges() > 0)
            {
                // A point sent again is already in the table and in its summary.
                _summaries.Add(keyIds[i], point.Step, point.Timestamp, point.Value);
            }

            if (metric.ModelId is not null)
            {
                _modelMetrics.Add(write.RunId, keyIds[i], metric);
            }

            if (!_latest.TryGetValue(keyIds[i], out var latest) || point.IsAfter(latest))
            {
                _latest[keyIds[i]] = point;
            }
        }

        foreach (var (keyId, point) in _latest)
        {
            Bind(_upsertLatest, write.RunId, keyId, point).Execute();
        }

        _summaries.Write(write.RunId);
    }

    private static SqliteStatement Bind(SqliteStatement statement, int runId, int keyId, LatestPoint point)
    {
        var isNan = double.IsNaN(point.Value);
        return statement.Bind(1, runId).Bind(2, keyId).Bind(3, point.Step).Bind(4, point.Timestamp)
            .Bind(5, isNan ? 0.0 : point.Value).Bind(6, isNan ? 1 : 0);
    }

    private int KeyId(string name)
    {
        if (_keyIds.TryGetValue(name, out var id))
        {
            return id;
        }

        var found = _findKey.Bind(1, name).ReadInt64();
        if (found is null)
        {
            _insertKey.Bind(1, name).Execute();
            found = _findKey.Bind(1, name).ReadInt64()!;
        }

        _keyIds[name] = (int)found.Value;
        return (int)found.Value;
    }

    public void Dispose()
    {
        foreach (var statement in (SqliteStatement[])[_runState, _findKey, _insertKey, _insertPoint, _upsertLatest, _findParam, _insertParam, _upsertTag, _renameRun, _savepoint, _release, _rollback])
        {
            statement.Dispose();
        }

        _summaries.Dispose();
        _modelMetrics.Dispose();
    }
}
