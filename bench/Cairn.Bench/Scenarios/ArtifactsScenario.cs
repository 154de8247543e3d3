using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// Scenario 6 (servers with MLflow's proxied artifact routes): a 1 GiB file (<c>--size</c>) moved four ways in six
/// rounds, every step starting after a <c>sync</c> so none pays for the last one's write-back:
/// <list type="bullet">
/// <item><c>File.Copy</c> on the local disk (the <c>cp</c> the issue names);</item>
/// <item>a bare loopback TCP socket from disk to disk, no HTTP and no server (<see cref="LoopbackCopy"/>);</item>
/// <item>one streamed PUT through the server, and one streamed GET back to disk (checked byte for byte by length and a sampled comparison).</item>
/// </list>
/// The pass rule compares the slower transfer with the socket: the part of the time HTTP and the server add. The
/// fraction of <c>cp</c> is reported beside it. The server's working set is sampled every 100 ms throughout.
/// </summary>
public static class ArtifactsScenario
{
    public const double TargetRatioOfLoopback = 0.8;
    private const int Rounds = 6;
    private const int BufferSize = 1 << 20;

    public static async Task<JsonObject> RunAsync(Uri url, long fileBytes, CancellationToken ct)
    {
        using var http = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromMinutes(10) };
        var folder = Directory.CreateTempSubdirectory("cairn-bench-artifacts-").FullName;
        try
        {
            var source = Path.Combine(folder, "source.bin");
            var target = Path.Combine(folder, "target.bin");
            await WriteFileAsync(source, fileBytes, ct);
            var route = $"api/2.0/mlflow-artifacts/artifacts/{await CreateRunAsync(http, ct)}/big.bin";

            using var memory = new MemorySampler(http);
            var baseline = await memory.ReadAsync(ct);
            var sampling = memory.RunAsync(ct);
            var copy = new List<double>();
            var loopback = new List<double>();
            var upload = new List<double>();
            var download = new List<double>();
            // The VM's page allocation speeds up and slows down by the second; each network step takes its turn
            // to go first, and the best round of each counts.
            Func<Task>[] steps =
            [
                async () => loopback.Add(await TimeAsync(fileBytes, () => LoopbackCopy.CopyAsync(source, target, ct))),
                async () => upload.Add(await TimeAsync(fileBytes, () => ArtifactTransfers.UploadAsync(http, route, source, ct))),
                async () => download.Add(await TimeAsync(fileBytes, () => ArtifactTransfers.DownloadAsync(http, route, target, ct))),
            ];
            for (var round = 0; round < Rounds; round++)
            {
                copy.Add(await TimeAsync(fileBytes, () => Task.Run(() => File.Copy(source, target), ct)));
                File.Delete(target);
                for (var step = 0; step < steps.Length; step++)
                {
                    await steps[(round + step) % steps.Length]();
                    if (File.Exists(target))
                    {
                        await VerifyAsync(source, target, fileBytes);
                        File.Delete(target);
                    }
                }

                ScenarioReport.Progress($"artifacts round {round + 1}/{Rounds}: copy {copy[^1]:F0}, loopback {loopback[^1]:F0}, upload {upload[^1]:F0}, download {download[^1]:F0} MiB/s");
            }

            memory.Stop();
            var peak = await sampling;

            var slower = Math.Min(upload.Max(), download.Max());
            var result = new JsonObject
            {
                ["file_bytes"] = fileBytes,
                ["rounds"] = Rounds,
                ["copy_mib_s"] = Math.Round(copy.Max(), 0),
                ["loopback_mib_s"] = Math.Round(loopback.Max(), 0),
                ["upload_mib_s"] = Math.Round(upload.Max(), 0),
                ["download_mib_s"] = Math.Round(download.Max(), 0),
                ["copy_mib_s_each_round"] = Rounded(copy),
                ["loopback_mib_s_each_round"] = Rounded(loopback),
                ["upload_mib_s_each_round"] = Rounded(upload),
                ["download_mib_s_each_round"] = Rounded(download),
                ["slower_transfer_vs_copy"] = Math.Round(slower / copy.Max(), 2),
                ["server_working_set_before_mib"] = Math.Round(baseline / (1024.0 * 1024), 0),
                ["server_working_set_peak_mib"] = Math.Round(peak / (1024.0 * 1024), 0),
                ["server_working_set_growth_mib"] = Math.Round((peak - baseline) / (1024.0 * 1024), 0),
                ["results_verified"] = true,
            };
            return ScenarioReport.HigherIsBetter(result, "slower_transfer_vs_loopback", slower / loopback.Max(), TargetRatioOfLoopback, reference: 1.0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static JsonArray Rounded(IEnumerable<double> values) => [.. values.Select(v => (JsonNode)Math.Round(v, 0))];

    /// <summary>MiB/s of <paramref name="step"/>, started once everything written before it is on disk.</summary>
    private static async Task<double> TimeAsync(long fileBytes, Func<Task> step)
    {
        using (var sync = Process.Start("sync"))
        {
            await sync.WaitForExitAsync();
        }

        var started = Stopwatch.GetTimestamp();
        await step();
        return fileBytes / Stopwatch.GetElapsedTime(started).TotalSeconds / (1 << 20);
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
}
