using System.Globalization;

namespace Cairn.Bench.Scenarios;

/// <summary>Samples the server's <c>process_working_set_bytes</c> from its Prometheus endpoint every 100 ms.</summary>
public sealed class MemorySampler(HttpClient http) : IDisposable
{
    private const string Metric = "process_working_set_bytes ";
    private readonly CancellationTokenSource _stop = new();

    public async Task<double> ReadAsync(CancellationToken ct)
    {
        var text = await http.GetStringAsync("metrics", ct);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(Metric, StringComparison.Ordinal))
            ?? throw new MlflowException("the server's /metrics has no process_working_set_bytes");
        return double.Parse(line[Metric.Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>The highest reading until <see cref="Stop"/>.</summary>
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
