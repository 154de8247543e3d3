using System.Globalization;
using System.Text.Json;

namespace Cairn.Bench.Scenarios;

/// <summary>Setup calls shared by the scenarios (experiments, runs).</summary>
public static class MlflowSetup
{
    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Timestamp suffix for unique experiment names.</summary>
    public static string Stamp() => DateTime.UtcNow.ToString("yyyyMMdd-HHmmss-fff", CultureInfo.InvariantCulture);

    public static async Task<string> CreateExperimentAsync(MlflowHttp http, string name, CancellationToken ct)
    {
        using var doc = await http.PostAsync("experiments/create", w =>
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteEndObject();
        }, ct);
        return RequireString(doc.RootElement, "experiment_id", "experiments/create");
    }

    /// <summary>The experiment's id and lifecycle stage, or null when the server says RESOURCE_DOES_NOT_EXIST.</summary>
    public static async Task<(string Id, string? Stage)?> FindExperimentAsync(MlflowHttp http, string name, CancellationToken ct)
    {
        try
        {
            using var doc = await http.GetAsync("experiments/get-by-name", [("experiment_name", name)], ct);
            var experiment = doc.RootElement.GetProperty("experiment");
            var stage = experiment.TryGetProperty("lifecycle_stage", out var s) ? s.GetString() : "active";
            return (RequireString(experiment, "experiment_id", "experiments/get-by-name"), stage);
        }
        catch (MlflowException e) when (e.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }
    }

    /// <summary>
    /// Logs one metric at steps 0..<paramref name="points"/>-1 (timestamp = now) as log-batch requests of 1000
    /// points from 4 concurrent workers; <paramref name="valueAt"/> gives each step's value.
    /// </summary>
    public static async Task LogStepsAsync(MlflowHttp http, string runId, string key, int points, Func<int, double> valueAt, CancellationToken ct)
    {
        const int batchSize = 1000;
        var uri = http.Endpoint("runs/log-batch");
        var nextBatch = -1;
        await Workers.RunAsync(4, async (_, token) =>
        {
            var buffer = new JsonRequestBuffer(96 * 1024);
            int b;
            while ((b = Interlocked.Increment(ref nextBatch)) * batchSize < points)
            {
                var now = NowMs();
                var w = buffer.Start();
                w.WriteStartObject();
                w.WriteString("run_id", runId);
                w.WriteStartArray("metrics");
                for (var step = b * batchSize; step < Math.Min(points, (b + 1) * batchSize); step++)
                {
                    w.WriteStartObject();
                    w.WriteString("key", key);
                    w.WriteNumber("value", valueAt(step));
                    w.WriteNumber("timestamp", now);
                    w.WriteNumber("step", step);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
                await http.PostAckAsync(uri, buffer.Finish(), token);
            }
        }, ct);
    }

    public static async Task<string> CreateRunAsync(MlflowHttp http, string experimentId, string runName, CancellationToken ct)
    {
        using var doc = await http.PostAsync("runs/create", w =>
        {
            w.WriteStartObject();
            w.WriteString("experiment_id", experimentId);
            w.WriteString("run_name", runName);
            w.WriteNumber("start_time", NowMs());
            w.WriteEndObject();
        }, ct);
        if (!doc.RootElement.TryGetProperty("run", out var run) || !run.TryGetProperty("info", out var info))
        {
            throw new MlflowException("runs/create: response has no run.info: " + doc.RootElement.GetRawText());
        }
        return RequireString(info, "run_id", "runs/create");
    }

    /// <summary>POSTs an RPC whose body is a single experiment_id (delete/restore).</summary>
    public static async Task PostExperimentIdAsync(MlflowHttp http, string rpc, string experimentId, CancellationToken ct)
    {
        using var _ = await http.PostAsync(rpc, w =>
        {
            w.WriteStartObject();
            w.WriteString("experiment_id", experimentId);
            w.WriteEndObject();
        }, ct);
    }

    /// <summary>Moves a stale experiment out of the way: restore if deleted, rename to <c>&lt;name&gt;-stale-&lt;timestamp&gt;</c>, delete.</summary>
    public static async Task RetireExperimentAsync(MlflowHttp http, string id, string? stage, string name, CancellationToken ct)
    {
        if (stage != "active")
        {
            await PostExperimentIdAsync(http, "experiments/restore", id, ct);
        }
        await RenameExperimentAsync(http, id, $"{name}-stale-{Stamp()}", ct);
        await PostExperimentIdAsync(http, "experiments/delete", id, ct);
    }

    public static async Task RenameExperimentAsync(MlflowHttp http, string experimentId, string newName, CancellationToken ct)
    {
        using var _ = await http.PostAsync("experiments/update", w =>
        {
            w.WriteStartObject();
            w.WriteString("experiment_id", experimentId);
            w.WriteString("new_name", newName);
            w.WriteEndObject();
        }, ct);
    }

    public static string RequireString(JsonElement obj, string property, string context)
    {
        if (obj.ValueKind == JsonValueKind.Object
            && obj.TryGetProperty(property, out var value)
            && value.ValueKind == JsonValueKind.String
            && value.GetString() is { Length: > 0 } s)
        {
            return s;
        }
        throw new MlflowException($"{context}: expected a non-empty string '{property}' in {Shorten(obj.GetRawText())}");
    }

    /// <summary>Reads a metric value: a JSON number, or "NaN"/"Infinity"/"-Infinity" strings.</summary>
    public static double ReadDouble(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetDouble(),
        JsonValueKind.String => double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture),
        _ => throw new MlflowException("expected a number, got " + value.GetRawText()),
    };

    /// <summary>Reads an int64 sent either as a JSON number or as a numeric string.</summary>
    public static long ReadInt64(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number => value.GetInt64(),
        JsonValueKind.String => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
        _ => throw new MlflowException("expected an integer, got " + value.GetRawText()),
    };

    public static string Shorten(string s) => s.Length <= 600 ? s : s[..600] + "…";
}
