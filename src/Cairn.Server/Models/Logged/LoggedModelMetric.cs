using Cairn.Server.Tracking.Metrics;
using Cairn.Server.Tracking.Runs;

namespace Cairn.Server.Models.Logged;

/// <summary>
/// A metric point a run logged for a model (<c>log-metric</c> / <c>log-batch</c> with <c>model_id</c>), optionally
/// measured on a dataset. The run keeps its own copy of the point; this row is the model's. One row per (model, key,
/// timestamp, step, run): a replayed point adds nothing. NaN is kept as <see cref="IsNan"/>, as for run metrics.
/// </summary>
public sealed class LoggedModelMetric
{
    public int LoggedModelId { get; set; }
    public int KeyId { get; set; }
    public MetricKey Key { get; set; } = null!;
    public int RunId { get; set; }
    public Run Run { get; set; } = null!;
    public long Timestamp { get; set; }
    public long Step { get; set; }
    public double Value { get; set; }
    public bool IsNan { get; set; }
    public string? DatasetName { get; set; }
    public string? DatasetDigest { get; set; }
}
