using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;

namespace VidPress.Core.Network;

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
                var own = LocalAddresses();
                var allowOwn = options.AllowLoopback || options.LoopbackPortsForTests.Contains(port);
                foreach (var address in addresses)
                    if (!IsAllowed(address, allowOwn, own))
                        throw new BlockedDestinationException(IsOwn(address, own)
                            ? $"'{host}' resolves to {address}, which is this machine's own address."
                            : $"'{host}' resolves to {address}, which is not a public address.");
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

    /// <summary>
    /// Whether the service may connect to <paramref name="address"/>. This machine's own addresses (loopback, and
    /// <paramref name="ownAddresses"/>: those of its interfaces, read from the system when null) only with
    /// <paramref name="allowOwn"/>; private, shared, link-local, documentation (TEST-NET, 2001:db8::/32),
    /// benchmarking, multicast and reserved ranges never. IPv4-mapped IPv6 addresses are judged as the IPv4 address.
    /// </summary>
    public static bool IsAllowed(IPAddress address, bool allowOwn, IReadOnlySet<IPAddress>? ownAddresses = null)
    {
        address = Normalize(address);
        if (IsOwn(address, ownAddresses ?? LocalAddresses())) return allowOwn;
        var refused = address.AddressFamily switch
        {
            AddressFamily.InterNetwork => RefusedV4,
            AddressFamily.InterNetworkV6 => RefusedV6,
            _ => null,
        };
        return refused is not null && !refused.Any(range => range.Contains(address));
    }

    /// <summary>Loopback, or one of <paramref name="ownAddresses"/> (the machine's interface addresses).</summary>
    private static bool IsOwn(IPAddress address, IReadOnlySet<IPAddress> ownAddresses)
    {
        address = Normalize(address);
        return IPAddress.IsLoopback(address) || ownAddresses.Contains(address);
    }

    /// <summary>Every unicast address of this machine's network interfaces, normalized (no IPv6 scope, IPv4 unmapped).</summary>
    /// <remarks>Read for each connection, not cached: an address the machine gets later (DHCP, a new container network) counts at once.</remarks>
    public static IReadOnlySet<IPAddress> LocalAddresses()
    {
        var addresses = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                    addresses.Add(Normalize(unicast.Address));
        }
        catch (NetworkInformationException)
        {
            // Without the list, loopback is still refused by its range and every private range by theirs.
        }
        return addresses;
    }

    private static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
        : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
        : address;

    private static readonly AddressRange[] RefusedV4 =
    [
        AddressRange.Parse("0.0.0.0/8"),        // "this network"; 0.0.0.0 reaches the local host
        AddressRange.Parse("10.0.0.0/8"),
        AddressRange.Parse("100.64.0.0/10"),    // shared address space (CGNAT)
        AddressRange.Parse("127.0.0.0/8"),      // loopback
        AddressRange.Parse("169.254.0.0/16"),   // link-local, cloud metadata
        AddressRange.Parse("172.16.0.0/12"),
        AddressRange.Parse("192.0.0.0/24"),     // IETF protocol assignments
        AddressRange.Parse("192.0.2.0/24"),     // TEST-NET-1
        AddressRange.Parse("192.88.99.0/24"),   // 6to4 relay anycast
        AddressRange.Parse("192.168.0.0/16"),
        AddressRange.Parse("198.18.0.0/15"),    // benchmarking
        AddressRange.Parse("198.51.100.0/24"),  // TEST-NET-2
        AddressRange.Parse("203.0.113.0/24"),   // TEST-NET-3
        AddressRange.Parse("224.0.0.0/3"),      // multicast, reserved, broadcast
    ];

    private static readonly AddressRange[] RefusedV6 =
    [
        AddressRange.Parse("::/96"),            // unspecified, loopback, IPv4-compatible ::a.b.c.d
        AddressRange.Parse("::ffff:0:0/96"),    // IPv4-mapped (judged as IPv4 before this; kept for safety)
        AddressRange.Parse("64:ff9b::/32"),     // NAT64, well-known and local-use (64:ff9b:1::/48)
        AddressRange.Parse("100::/64"),         // discard-only
        AddressRange.Parse("2001::/32"),        // Teredo can wrap any IPv4
        AddressRange.Parse("2001:2::/48"),      // benchmarking
        AddressRange.Parse("2001:db8::/32"),    // documentation
        AddressRange.Parse("2002::/16"),        // 6to4 can wrap private IPv4
        AddressRange.Parse("fc00::/7"),         // unique local
        AddressRange.Parse("fe80::/10"),        // link-local
        AddressRange.Parse("fec0::/10"),        // site-local (deprecated)
        AddressRange.Parse("ff00::/8"),         // multicast
    ];

    /// <summary>A CIDR block.</summary>
    private sealed record AddressRange(byte[] Prefix, int Bits)
    {
        public static AddressRange Parse(string cidr)
        {
            var slash = cidr.IndexOf('/');
            return new AddressRange(IPAddress.Parse(cidr[..slash]).GetAddressBytes(), int.Parse(cidr[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        }

        public bool Contains(IPAddress address)
        {
            var bytes = address.GetAddressBytes();
            if (bytes.Length != Prefix.Length) return false;
            var whole = Bits / 8;
            for (var i = 0; i < whole; i++) if (bytes[i] != Prefix[i]) return false;
            var rest = Bits % 8;
            if (rest == 0) return true;
            var mask = (byte)(0xff << (8 - rest));
            return (bytes[whole] & mask) == (Prefix[whole] & mask);
        }
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
