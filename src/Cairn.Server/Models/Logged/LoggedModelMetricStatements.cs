using Cairn.Server.Data;
using Cairn.Server.Tracking.Runs;
using Microsoft.Data.Sqlite;

namespace Cairn.Server.Models.Logged;

/// <summary>
/// The run-data writer's statements for metric points that name a logged model: each such point is also stored
/// as the model's, inside the same savepoint as the run's copy, so a rejected write stores neither.
/// </summary>
public sealed class LoggedModelMetricStatements : IDisposable
{
    private readonly Dictionary<string, int> _modelIds = new(StringComparer.Ordinal);
    private readonly SqliteStatement _findModel;
    private readonly SqliteStatement _insertPoint;

    public LoggedModelMetricStatements(SqliteConnection connection)
    {
        _findModel = new(connection, "SELECT id FROM logged_models WHERE model_id = ?1");
        _insertPoint = new(connection,
            """
            INSERT INTO logged_model_metrics (logged_model_id, key_id, timestamp, step, run_id, value, is_nan, dataset_name, dataset_digest)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON CONFLICT DO NOTHING
            """);
    }

    /// <summary>
    /// The model ids a write names. A point naming no logged model is still the run's point, as MLflow 2.x servers log
    /// it (they ignore <c>model_id</c>); it is just not copied to a model.
    /// </summary>
    public void Resolve(RunWrite write)
    {
        _modelIds.Clear();
        foreach (var metric in write.Metrics)
        {
            if (metric.ModelId is { } modelId && !_modelIds.ContainsKey(modelId) && _findModel.Bind(1, modelId).ReadInt64() is { } id)
            {
                _modelIds[modelId] = (int)id;
            }
        }
    }

    /// <summary>Stores <paramref name="metric"/> as its model's point (a replayed point is already there), when that model exists.</summary>
    public void Add(int runId, int keyId, MetricInput metric)
    {
        if (!_modelIds.TryGetValue(metric.ModelId!, out var modelId))
        {
            return;
        }

        var value = metric.Value!.Value;
        var isNan = double.IsNaN(value);
        _insertPoint.Bind(1, modelId).Bind(2, keyId).Bind(3, metric.Timestamp!.Value).Bind(4, metric.Step ?? 0).Bind(5, runId)
            .Bind(6, isNan ? 0.0 : value).Bind(7, isNan ? 1 : 0);
        Text(8, metric.DatasetName);
        Text(9, metric.DatasetDigest);
        _insertPoint.Execute();
    }

    private void Text(int index, string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            _insertPoint.BindNull(index);
        }
        else
        {
            _insertPoint.Bind(index, value);
        }
    }

    public void Dispose()
    {
        _findModel.Dispose();
        _insertPoint.Dispose();
    }
}
