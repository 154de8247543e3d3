using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario 6 (servers with MLflow's proxied artifact routes): a 1 GiB file (<c>--size</c>) copied on the local disk
/// (<see cref="File.Copy(string, string)"/>, the <c>cp</c> baseline), then uploaded with one streamed PUT and
/// downloaded with one streamed GET through the server, each checked byte for byte by length and a sampled
/// comparison. The server's working set is sampled every 100 ms from its <c>/metrics</c>; the report gives its
/// growth over the round trip.
/// </summary>
public static class ArtifactsScenario
{
    public const double TargetRatioOfCopy = 0.8;
    private const int BufferSize = 1 << 20;

    public static async Task<JsonObject> RunAsync(Uri url, long fileBytes, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };
        var folder = Directory.CreateTempSubdirectory("cairn-bench-artifacts-").FullName;
        try
        {
            var source = Path.Combine(folder, "source.bin");
            await WriteFileAsync(source, fileBytes, ct);
            var root = await CreateRunAsync(http, ct);

            var copy = Time(() => File.Copy(source, Path.Combine(folder, "copy.bin")));
            File.Delete(Path.Combine(folder, "copy.bin"));
            using var memory = new MemorySampler(http);
            var baseline = await memory.ReadAsync(ct);
            var sampling = memory.RunAsync(ct);

            var upload = await TimeAsync(async () =>
            {
                await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
                using var content = new StreamContent(file, BufferSize);
                using var response = await http.PutAsync($"api/2.0/mlflow-artifacts/artifacts/{root}/big.bin", content, ct);
                response.EnsureSuccessStatusCode();
            });
            var target = Path.Combine(folder, "downloaded.bin");
            var download = await TimeAsync(async () =>
            {
                using var response = await http.GetAsync($"api/2.0/mlflow-artifacts/artifacts/{root}/big.bin", HttpCompletionOption.ResponseHeadersRead, ct);
                response.EnsureSuccessStatusCode();
                await using var body = await response.Content.ReadAsStreamAsync(ct);
                await using var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
                await body.CopyToAsync(file, BufferSize, ct);
            });
            memory.Stop();
            var peak = await sampling;
            await VerifyAsync(source, target, fileBytes);

            var copyMBs = fileBytes / copy / (1 << 20);
            var uploadMBs = fileBytes / upload / (1 << 20);
            var downloadMBs = fileBytes / download / (1 << 20);
            var slower = Math.Min(uploadMBs, downloadMBs) / copyMBs;
            var result = new JsonObject
            {
                ["file_bytes"] = fileBytes,
                ["copy_s"] = Math.Round(copy, 2),
                ["upload_s"] = Math.Round(upload, 2),
                ["download_s"] = Math.Round(download, 2),
                ["copy_mib_s"] = Math.Round(copyMBs, 0),
                ["upload_mib_s"] = Math.Round(uploadMBs, 0),
                ["download_mib_s"] = Math.Round(downloadMBs, 0),
                ["server_working_set_before_mib"] = Math.Round(baseline / (1024.0 * 1024), 0),
                ["server_working_set_peak_mib"] = Math.Round(peak / (1024.0 * 1024), 0),
                ["server_working_set_growth_mib"] = Math.Round((peak - baseline) / (1024.0 * 1024), 0),
                ["results_verified"] = true,
            };
            return ScenarioReport.HigherIsBetter(result, "slower_transfer_vs_copy", slower, TargetRatioOfCopy, reference: 1.0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static async Task WriteFileAsync(string path, long fileBytes, CancellationToken ct)
    {
        var block = new byte[BufferSize];
        Random.Shared.NextBytes(block);
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true);
        for (long written = 0; written < fileBytes; written += block.Length)
        {
            block[0] = (byte)(written >> 20);
            await file.WriteAsync(block, ct);
        }
    }

    private static async Task<string> CreateRunAsync(HttpClient http, CancellationToken ct)
    {
        var experiment = await PostAsync(http, "experiments/create", new { name = $"bench-artifacts-{Guid.NewGuid():N}" }, ct);
        var run = await PostAsync(http, "runs/create", new { experiment_id = (string)experiment["experiment_id"]! }, ct);
        var uri = (string)run["run"]!["info"]!["artifact_uri"]!;
        const string scheme = "mlflow-artifacts:";
        return uri.StartsWith(scheme, StringComparison.Ordinal)
            ? uri[scheme.Length..].Trim('/')
            : throw new MlflowException($"the server hands out artifact URIs it does not proxy ({uri})");
    }

    private static async Task<JsonNode> PostAsync(HttpClient http, string rpc, object body, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync($"api/2.0/mlflow/{rpc}", body, ct);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonNode>(ct))!;
    }

    private static async Task VerifyAsync(string expected, string actual, long fileBytes)
    {
        if (new FileInfo(actual).Length != fileBytes)
        {
            throw new MlflowException($"downloaded {new FileInfo(actual).Length} bytes, uploaded {fileBytes}");
        }

        await using var a = File.OpenRead(expected);
        await using var b = File.OpenRead(actual);
        var x = new byte[4096];
        var y = new byte[4096];
        for (long offset = 0; offset < fileBytes; offset += 64L << 20)
        {
            a.Position = b.Position = offset;
            a.ReadExactly(x);
            b.ReadExactly(y);
            if (!x.AsSpan().SequenceEqual(y))
            {
                throw new MlflowException($"downloaded bytes differ at offset {offset}");
            }
        }
    }

    private static double Time(Action action)
    {
        var started = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    private static async Task<double> TimeAsync(Func<Task> action)
    {
        var started = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Samples <c>process_working_set_bytes</c> from the server's Prometheus endpoint.</summary>
    private sealed class MemorySampler(HttpClient http) : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public async Task<double> ReadAsync(CancellationToken ct)
        {
            var text = await http.GetStringAsync("metrics", ct);
            var line = text.Split('\n').FirstOrDefault(l => l.StartsWith("process_working_set_bytes ", StringComparison.Ordinal))
                ?? throw new MlflowException("the server's /metrics has no process_working_set_bytes");
            return double.Parse(line["process_working_set_bytes ".Length..], System.Globalization.CultureInfo.InvariantCulture);
        }

        public async Task<double> RunAsync(CancellationToken ct)
        {
            var peak = 0.0;
            while (!_stop.IsCancellationRequested)
            {
                peak = Math.Max(peak, await ReadAsync(ct));
                await Task.Delay(100, CancellationToken.None);
            }

            return peak;
        }

        public void Stop() => _stop.Cancel();

        public void Dispose() => _stop.Dispose();
    }
}
