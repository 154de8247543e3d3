using System.Text.Json.Nodes;

namespace Cairn.Bench;

/// <summary>Adds the target / reference / pass fields that every scenario reports.</summary>
public static class ScenarioReport
{
    /// <summary>For throughput metrics: higher is better; ratio = measured / reference.</summary>
    public static JsonObject HigherIsBetter(JsonObject result, string metric, double measured, double target, double reference)
    {
        result["metric"] = metric;
        result["measured"] = Math.Round(measured, 1);
        result["target"] = target;
        result["target_rule"] = $"{metric} >= {target}";
        result["reference_mlflow"] = reference;
        result["ratio_vs_reference"] = Math.Round(measured / reference, 2);
        result["pass"] = measured >= target;
        return result;
    }

    /// <summary>For latencies: lower is better; ratio = reference / measured (speed-up factor); no reference when MLflow has no such call.</summary>
    public static JsonObject LowerIsBetter(JsonObject result, string metric, double measured, double target, double? reference)
    {
        result["metric"] = metric;
        result["measured"] = Math.Round(measured, 3);
        result["target"] = target;
        result["target_rule"] = $"{metric} <= {target}";
        result["reference_mlflow"] = reference;
        result["ratio_vs_reference"] = measured > 0 && reference is { } r ? Math.Round(r / measured, 2) : null;
        result["pass"] = measured <= target;
        return result;
    }

    public static void Progress(string message) =>
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");
}
