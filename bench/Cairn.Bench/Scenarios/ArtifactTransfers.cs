namespace Cairn.Bench.Scenarios;

/// <summary>
/// One streamed PUT of a file to the server's proxied-artifact route and one streamed GET back to a new file,
/// both through 1 MiB buffers, the way a client that cares about speed moves files.
/// </summary>
public static class ArtifactTransfers
{
    private const int BufferSize = 1 << 20;

    public static async Task UploadAsync(HttpClient http, string route, string source, CancellationToken ct)
    {
        await using var file = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize, useAsync: true);
        using var content = new StreamContent(file, BufferSize);
        using var response = await http.PutAsync(route, content, ct);
        response.EnsureSuccessStatusCode();
    }

    public static async Task DownloadAsync(HttpClient http, string route, string target, CancellationToken ct)
    {
        using var response = await http.GetAsync(route, HttpCompletionOption.ResponseHeadersRead, ct);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync(ct);
        await WriteToFileAsync(body.ReadAsync, target, ct);
    }

    /// <summary>Writes what <paramref name="read"/> yields, 1 MiB at most at a time, to a new file at <paramref name="target"/>.</summary>
    public static async Task WriteToFileAsync(Func<Memory<byte>, CancellationToken, ValueTask<int>> read, string target, CancellationToken ct)
    {
        using var file = File.OpenHandle(target, FileMode.Create, FileAccess.Write);
        var buffer = new byte[BufferSize];
        long offset = 0;
        int count;
        while ((count = await read(buffer, ct)) > 0)
        {
            RandomAccess.Write(file, buffer.AsSpan(0, count), offset);
            offset += count;
        }
    }
}
