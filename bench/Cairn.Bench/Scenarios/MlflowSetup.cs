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

    /// <summary>Returns the experiment object, or null when the server says RESOURCE_DOES_NOT_EXIST.</summary>
    public static async Task<JsonDocument?> GetExperimentByNameAsync(MlflowHttp http, string name, CancellationToken ct)
    {
        try
        {
            return await http.GetAsync("experiments/get-by-name", [("experiment_name", name)], ct);
        }
        catch (MlflowException e) when (e.ErrorCode == "RESOURCE_DOES_NOT_EXIST")
        {
            return null;
        }
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
