using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Network;

public sealed class NetworkOptions
{
    /// <summary>Lets article fetches and webhooks reach 127.0.0.0/8 and ::1. For tests and local demos only.</summary>
    public bool AllowLoopback { get; set; }
    public long MaxResponseBytes { get; set; } = 5 * 1024 * 1024;
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Loopback ports a test may reach even with <see cref="AllowLoopback"/> off, so one hop can be a local
    /// test server while every other hop (a redirect, say) is still checked like production. Not bindable
    /// from configuration, so no deployment can turn it on.
    /// </summary>
    internal IReadOnlySet<int> LoopbackPortsForTests { get; set; } = new HashSet<int>();
}

/// <summary>Turns a host name into addresses. The guard checks what this returns, and connects only to that.</summary>
public interface IHostResolver
{
    Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken);
}

public sealed class DnsHostResolver : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) => Dns.GetHostAddressesAsync(host, cancellationToken);
}

/// <summary>A URL the service refuses to contact.</summary>
public sealed class BlockedDestinationException(string message) : Exception(message);

/// <summary>
/// The one way the service reaches URLs that callers gave it (articles, webhooks). Every connection,
/// including each redirect, resolves the host itself, checks every address and connects only to a
/// checked one, so DNS rebinding and redirects cannot reach internal networks.
/// </summary>
public static class OutboundHttp
{
    public const string ClientName = "vidpress-outbound";
    /// <summary>
    /// The client for webhooks: the same guard, but redirects are not followed. A 301/302 would turn the signed
    /// POST into a GET without its body, and a 200 to that GET would count as delivered; a 3xx is a failed attempt.
    /// </summary>
    public const string WebhookClientName = "vidpress-webhooks";

    public static SocketsHttpHandler CreateHandler(NetworkOptions options, IHostResolver? resolver = null, bool followRedirects = true)
    {
        resolver ??= new DnsHostResolver();
        return new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = followRedirects,
            MaxAutomaticRedirections = options.MaxRedirects,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = options.Timeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectCallback = async (context, cancellationToken) =>
            {
                var host = context.DnsEndPoint.Host.Trim('[', ']');
                var port = context.DnsEndPoint.Port;
                var addresses = IPAddress.TryParse(host, out var literal)
                    ? [literal]
                    : await resolver.ResolveAsync(host, cancellationToken);
                if (addresses.Length == 0) throw new BlockedDestinationException($"'{host}' does not resolve.");
                foreach (var address in addresses)
                    if (!IsAllowed(address, options.AllowLoopback || options.LoopbackPortsForTests.Contains(port)))
                        throw new BlockedDestinationException($"'{host}' resolves to {address}, which is not a public address.");
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(addresses, port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }

    /// <summary>Only http and https, with a host; checked before any request is made.</summary>
    public static Uri ValidateUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) throw new BlockedDestinationException("Not an absolute URL.");
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            throw new BlockedDestinationException($"Scheme '{uri.Scheme}' is not allowed; use http or https.");
        if (string.IsNullOrEmpty(uri.Host)) throw new BlockedDestinationException("The URL has no host.");
        if (!string.IsNullOrEmpty(uri.UserInfo)) throw new BlockedDestinationException("Credentials in URLs are not allowed.");
        return uri;
    }

    public static bool IsAllowed(IPAddress address, bool allowLoopback)
    {
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (IPAddress.IsLoopback(address)) return allowLoopback;
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = address.GetAddressBytes();
            return !(b[0] == 0 || b[0] == 10 || b[0] == 127
                || (b[0] == 100 && b[1] >= 64 && b[1] <= 127)      // CGNAT
                || (b[0] == 169 && b[1] == 254)                    // link-local, cloud metadata
                || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
                || (b[0] == 192 && b[1] == 168)
                || (b[0] == 192 && b[1] == 0 && b[2] == 0)         // IETF protocol assignments
                || (b[0] == 198 && (b[1] == 18 || b[1] == 19))     // benchmarking
                || b[0] >= 224);                                   // multicast, reserved, broadcast
        }
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            if (address.Equals(IPAddress.IPv6None) || address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast) return false;
            var b = address.GetAddressBytes();
            if ((b[0] & 0xfe) == 0xfc) return false;                          // unique local fc00::/7
            if (b[0] == 0x20 && b[1] == 0x02) return false;                   // 6to4 can wrap private IPv4
            if (b[0] == 0 && b.Take(12).All(x => x == 0)) return false;       // IPv4-compatible ::a.b.c.d
            if (b[0] == 0x00 && b[1] == 0x64 && b[2] == 0xff && b[3] == 0x9b) return false; // NAT64
            return true;
        }
        return false;
    }

    /// <summary>Reads a response body up to the size cap, failing rather than truncating.</summary>
    public static async Task<byte[]> ReadCappedAsync(HttpResponseMessage response, long maxBytes, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength > maxBytes)
            throw new BlockedDestinationException($"The response is larger than {maxBytes} bytes.");
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes) throw new BlockedDestinationException($"The response is larger than {maxBytes} bytes.");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
