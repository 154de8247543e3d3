using System.Text.Json;

namespace Cairn.Bench.Scenarios;

/// <summary>The fields of a run that the search scenario checks (latest m0, m1 and param p1).</summary>
public sealed record SearchRunData(string RunId, double? M0, double? M1, string? P1)
{
    public bool IsComplete => M0.HasValue && M1.HasValue && P1 is not null;

    public bool MatchesFilter => M1 > 0.5 && P1 == "x";

    /// <summary>Reads one Run object ({info, data}) of a runs/search response.</summary>
    public static SearchRunData FromRun(JsonElement run)
    {
        if (!run.TryGetProperty("info", out var info))
        {
            throw new MlflowException("runs/search: a run without 'info': " + MlflowSetup.Shorten(run.GetRawText()));
        }
        var runId = MlflowSetup.RequireString(info, "run_id", "runs/search run.info");
        double? m0 = null, m1 = null;
        string? p1 = null;
        if (run.TryGetProperty("data", out var data))
        {
            if (data.TryGetProperty("metrics", out var metrics))
            {
                foreach (var metric in metrics.EnumerateArray())
                {
                    var key = metric.GetProperty("key").GetString();
                    if (key == "m0")
                    {
                        m0 = MlflowSetup.ReadDouble(metric.GetProperty("value"));
                    }
                    else if (key == "m1")
                    {
                        m1 = MlflowSetup.ReadDouble(metric.GetProperty("value"));
                    }
                }
            }
            if (data.TryGetProperty("params", out var parameters))
            {
                foreach (var param in parameters.EnumerateArray())
                {
                    if (param.GetProperty("key").GetString() == "p1")
                    {
                        p1 = param.TryGetProperty("value", out var v) ? v.GetString() : "";
                    }
                }
            }
        }
        return new SearchRunData(runId, m0, m1, p1);
    }

    /// <summary>Reads the runs array and next_page_token of a runs/search response.</summary>
    public static (List<SearchRunData> Runs, string? NextPageToken) ParsePage(byte[] body)
    {
        using var doc = JsonDocument.Parse(body);
        var runs = new List<SearchRunData>();
        if (doc.RootElement.TryGetProperty("runs", out var array))
        {
            foreach (var run in array.EnumerateArray())
            {
                runs.Add(FromRun(run));
            }
        }
        var token = doc.RootElement.TryGetProperty("next_page_token", out var t) ? t.GetString() : null;
        return (runs, string.IsNullOrEmpty(token) ? null : token);
    }
}
