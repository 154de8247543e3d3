using System.Net;
using System.Net.Sockets;

namespace Cairn.Bench.Scenarios;

/// <summary>
/// A webhook receiver that never answers: it accepts each connection, reads the request, and holds the connection
/// open for <c>hang</c> (or until the sender gives up) without a byte of response. Plain sockets, so the bench stays BCL-only.
/// </summary>
public sealed class HangingReceiver : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly TimeSpan _hang;
    private readonly Task _accepting;
    private int _requests;

    public HangingReceiver(TimeSpan hang)
    {
        _hang = hang;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/hook";

    /// <summary>Requests received so far (connections that sent anything).</summary>
    public int Requests => Volatile.Read(ref _requests);

    public async Task WaitForRequestsAsync(int count, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Requests < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new MlflowException($"webhooks: the hanging receiver got {Requests} of {count} requests within {timeout.TotalSeconds} s; is the subscription sending?");
            }

            await Task.Delay(50, ct);
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                _ = HoldAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task HoldAsync(TcpClient client)
    {
        using (client)
        {
            using var hang = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            hang.CancelAfter(_hang);
            var buffer = new byte[16 * 1024];
            try
            {
                var stream = client.GetStream();
                if (await stream.ReadAsync(buffer, hang.Token) > 0)
                {
                    Interlocked.Increment(ref _requests);
                }

                // Drain until the sender hangs up or the hang is over; never answer.
                while (await stream.ReadAsync(buffer, hang.Token) > 0)
                {
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stop.Dispose();
    }
}
