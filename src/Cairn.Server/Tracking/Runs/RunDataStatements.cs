using Cairn.Server.Mlflow;
using Microsoft.Data.Sqlite;

namespace Cairn.Server.Tracking.Runs;

/// <summary>The prepared SQLite statements behind <see cref="RunDataWriter"/>, and how one write is applied with them.</summary>
public sealed class RunDataStatements
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, int> _keyIds = new(StringComparer.Ordinal);
    private readonly SqliteCommand _runState;
    private readonly SqliteCommand _findKey;
    private readonly SqliteCommand _insertKey;
    private readonly SqliteCommand _insertPoint;
    private readonly SqliteCommand _upsertLatest;
    private readonly SqliteCommand _findParam;
    private readonly SqliteCommand _insertParam;
    private readonly SqliteCommand _upsertTag;
    private readonly SqliteCommand _renameRun;
    private readonly SqliteCommand _savepoint;
    private readonly SqliteCommand _release;
    private readonly SqliteCommand _rollback;
    private readonly SqliteCommand[] _all;
    private readonly Dictionary<int, LatestPoint> _latest = [];

    public RunDataStatements(SqliteConnection connection)
    {
        _connection = connection;
        _runState = Command("SELECT lifecycle_stage FROM runs WHERE id = $run", "$run");
        _findKey = Command("SELECT id FROM metric_keys WHERE name = $name", "$name");
        _insertKey = Command("INSERT INTO metric_keys (name) VALUES ($name) ON CONFLICT (name) DO NOTHING", "$name");
        _insertPoint = Command(
            "INSERT INTO metrics (run_id, key_id, step, timestamp, value, is_nan) VALUES ($run, $key, $step, $ts, $value, $nan) ON CONFLICT DO NOTHING",
            "$run", "$key", "$step", "$ts", "$value", "$nan");
        _upsertLatest = Command(
            """
            INSERT INTO latest_metrics (run_id, key_id, step, timestamp, value, is_nan) VALUES ($run, $key, $step, $ts, $value, $nan)
            ON CONFLICT (run_id, key_id) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
            WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)
            """,
            "$run", "$key", "$step", "$ts", "$value", "$nan");
        _findParam = Command("SELECT value FROM params WHERE run_id = $run AND key = $key", "$run", "$key");
        _insertParam = Command("INSERT INTO params (run_id, key, value) VALUES ($run, $key, $value)", "$run", "$key", "$value");
        _upsertTag = Command(
            "INSERT INTO run_tags (run_id, key, value) VALUES ($run, $key, $value) ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value",
            "$run", "$key", "$value");
        _renameRun = Command("UPDATE runs SET name = $name WHERE id = $run", "$name", "$run");
        _savepoint = Command("SAVEPOINT run_write");
        _release = Command("RELEASE run_write");
        _rollback = Command("ROLLBACK TO run_write");
        _all = [_runState, _findKey, _insertKey, _insertPoint, _upsertLatest, _findParam, _insertParam, _upsertTag, _renameRun, _savepoint, _release, _rollback];
    }

    public void Enlist(SqliteTransaction transaction)
    {
        foreach (var command in _all)
        {
            command.Transaction = transaction;
        }
    }

    /// <summary>Forgets cached key ids: after a failed commit, keys inserted in it no longer exist.</summary>
    public void ForgetKeys() => _keyIds.Clear();

    /// <summary>Applies one write inside its own savepoint. Returns the reason it was rejected, or null.</summary>
    public Exception? Apply(RunWrite write)
    {
        var keyIds = write.Metrics.Select(m => KeyId(m.Key!)).ToArray();
        _savepoint.ExecuteNonQuery();
        try
        {
            EnsureActive(write);
            WriteParams(write);
            WriteTags(write);
            WriteMetrics(write, keyIds);
            _release.ExecuteNonQuery();
            return null;
        }
        catch (MlflowException rejected)
        {
            _rollback.ExecuteNonQuery();
            _release.ExecuteNonQuery();
            return rejected;
        }
    }

    private void EnsureActive(RunWrite write)
    {
        _runState.Parameters[0].Value = write.RunId;
        var stage = _runState.ExecuteScalar() as string ?? throw RunReader.NotFound(write.RunUuid);
        if (stage != Experiments.Lifecycle.Active)
        {
            throw MlflowException.InvalidParameter($"The run {write.RunUuid} must be in the 'active' state. Current state is {stage}.");
        }
    }

    private void WriteParams(RunWrite write)
    {
        foreach (var param in write.Params)
        {
            _findParam.Parameters[0].Value = write.RunId;
            _findParam.Parameters[1].Value = param.Key;
            var existing = _findParam.ExecuteScalar() as string;
            var value = param.Value ?? "";
            if (existing is null)
            {
                _insertParam.Parameters[0].Value = write.RunId;
                _insertParam.Parameters[1].Value = param.Key;
                _insertParam.Parameters[2].Value = value;
                _insertParam.ExecuteNonQuery();
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
            _upsertTag.Parameters[0].Value = write.RunId;
            _upsertTag.Parameters[1].Value = tag.Key;
            _upsertTag.Parameters[2].Value = tag.Value ?? "";
            _upsertTag.ExecuteNonQuery();
            if (tag.Key == RunNames.Tag)
            {
                _renameRun.Parameters[0].Value = tag.Value ?? "";
                _renameRun.Parameters[1].Value = write.RunId;
                _renameRun.ExecuteNonQuery();
            }
        }
    }

    private void WriteMetrics(RunWrite write, int[] keyIds)
    {
        _latest.Clear();
        for (var i = 0; i < write.Metrics.Count; i++)
        {
            var metric = write.Metrics[i];
            var point = new LatestPoint(metric.Step ?? 0, metric.Timestamp!.Value, metric.Value!.Value);
            Bind(_insertPoint, write.RunId, keyIds[i], point);
            _insertPoint.ExecuteNonQuery();
            if (!_latest.TryGetValue(keyIds[i], out var latest) || point.IsAfter(latest))
            {
                _latest[keyIds[i]] = point;
            }
        }

        foreach (var (keyId, point) in _latest)
        {
            Bind(_upsertLatest, write.RunId, keyId, point);
            _upsertLatest.ExecuteNonQuery();
        }
    }

    private static void Bind(SqliteCommand command, int runId, int keyId, LatestPoint point)
    {
        var isNan = double.IsNaN(point.Value);
        command.Parameters[0].Value = runId;
        command.Parameters[1].Value = keyId;
        command.Parameters[2].Value = point.Step;
        command.Parameters[3].Value = point.Timestamp;
        command.Parameters[4].Value = isNan ? 0.0 : point.Value;
        command.Parameters[5].Value = isNan;
    }

    private int KeyId(string name)
    {
        if (_keyIds.TryGetValue(name, out var id))
        {
            return id;
        }

        _findKey.Parameters[0].Value = name;
        if (_findKey.ExecuteScalar() is not long found)
        {
            _insertKey.Parameters[0].Value = name;
            _insertKey.ExecuteNonQuery();
            found = (long)_findKey.ExecuteScalar()!;
        }

        _keyIds[name] = (int)found;
        return (int)found;
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        return command;
    }

    private readonly record struct LatestPoint(long Step, long Timestamp, double Value)
    {
        private double Comparable => double.IsNaN(Value) ? 0.0 : Value;

        public bool IsAfter(LatestPoint other) =>
            Step != other.Step ? Step > other.Step
            : Timestamp != other.Timestamp ? Timestamp > other.Timestamp
            : Comparable > other.Comparable;
    }
}
