using System.Net;
using System.Net.Sockets;

namespace Cairn.Server.Webhooks;

/// <summary>
/// Keeps webhook deliveries off the server's own networks unless <c>Cairn:Webhooks:AllowPrivateNetworks</c> is set:
/// a webhook URL is chosen by whoever may create webhooks, and without this guard it could make the server POST to
/// loopback services, the cloud metadata address (169.254.169.254) or hosts behind the firewall. The check runs on
/// the address actually connected to, after DNS, so a name that resolves (or re-resolves) to a private address is
/// refused too.
/// </summary>
public static class PrivateNetworkGuard
{
    public const string Setting = "Cairn:Webhooks:AllowPrivateNetworks";

    /// <summary>Loopback, private (RFC 1918, IPv6 unique-local), link-local, shared (100.64/10) and unspecified addresses.</summary>
    public static bool IsPrivate(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || (first & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] == 0
            || b[0] == 10
            || (b[0] == 172 && (b[1] & 0xF0) == 16)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 100 && (b[1] & 0xC0) == 64);
    }

    /// <summary>The message for a refused address, naming the setting that allows it.</summary>
    public static string Refusal(string host, IPAddress address) =>
        $"The webhook host '{host}' is at {address}, a loopback, private or link-local address; set {Setting} to true to deliver there.";

    /// <summary>A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host and connects only to public addresses.</summary>
    public static async ValueTask<Stream> ConnectPublicOnlyAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);
        var allowed = addresses.Where(a => !IsPrivate(a)).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(addresses.Length == 0 ? $"The webhook host '{host}' has no address." : Refusal(host, addresses[0]));
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
