using System.Net;
using System.Net.Sockets;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// What the machine can move from disk to disk over loopback TCP with no HTTP and no server: a file read into a
/// 1 MiB buffer and sent through a bare socket, received into a 1 MiB buffer and written to a new file, the
/// sender and receiver on their own threads. The artifact transfers are measured against this ceiling.
/// </summary>
public static class LoopbackCopy
{
    private const int BufferSize = 1 << 20;

    public static async Task CopyAsync(string source, string target, CancellationToken ct)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var sending = Task.Run(() => SendAsync(listener, source, ct), ct);
        using var receiver = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await receiver.ConnectAsync(listener.LocalEndPoint!, ct);
        await ArtifactTransfers.WriteToFileAsync(receiver.ReceiveAsync, target, ct);
        await sending;
    }

    private static async Task SendAsync(Socket listener, string source, CancellationToken ct)
    {
        using var peer = await listener.AcceptAsync(ct);
        await using var stream = new NetworkStream(peer, ownsSocket: false);
        using var file = File.OpenHandle(source);
        var buffer = new byte[BufferSize];
        long offset = 0;
        int read;
        while ((read = RandomAccess.Read(file, buffer, offset)) > 0)
        {
            await stream.WriteAsync(buffer.AsMemory(0, read), ct);
            offset += read;
        }

        peer.Shutdown(SocketShutdown.Send);
    }
}
