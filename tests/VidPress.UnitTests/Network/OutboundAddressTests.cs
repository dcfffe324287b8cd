using System.Net;
using System.Net.NetworkInformation;
using VidPress.Core.Network;

namespace VidPress.UnitTests.Network;

/// <summary>Which addresses the SSRF guard lets the service connect to (article fetches, webhooks).</summary>
public sealed class OutboundAddressTests
{
    private static readonly IReadOnlySet<IPAddress> NoOwnAddresses = new HashSet<IPAddress>();

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("8.8.8.8")]
    [InlineData("192.0.3.1")]          // just past TEST-NET-1
    [InlineData("198.20.0.1")]         // just past the benchmarking /15
    [InlineData("203.0.114.1")]        // just past TEST-NET-3
    [InlineData("2606:4700:4700::1111")]
    [InlineData("2001:db9::1")]        // just past the documentation /32
    public void Public_addresses_are_allowed(string address) =>
        Assert.True(OutboundHttp.IsAllowed(IPAddress.Parse(address), allowOwn: false, NoOwnAddresses));

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("127.255.255.254")]
    [InlineData("::1")]
    [InlineData("::ffff:127.0.0.1")]   // IPv4-mapped IPv6 loopback, as in http://[::ffff:127.0.0.1]/
    public void Loopback_is_refused_unless_the_operator_allows_this_machine(string text)
    {
        var address = IPAddress.Parse(text);
        Assert.False(OutboundHttp.IsAllowed(address, allowOwn: false, NoOwnAddresses));
        Assert.True(OutboundHttp.IsAllowed(address, allowOwn: true, NoOwnAddresses));
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("0.1.2.3")]
    [InlineData("10.0.0.1")]
    [InlineData("100.64.0.1")]
    [InlineData("169.254.169.254")]
    [InlineData("172.16.0.1")]
    [InlineData("172.31.255.255")]
    [InlineData("192.0.0.8")]
    [InlineData("192.0.2.2")]          // TEST-NET-1
    [InlineData("192.0.2.255")]
    [InlineData("198.51.100.7")]       // TEST-NET-2
    [InlineData("203.0.113.9")]        // TEST-NET-3
    [InlineData("198.18.0.1")]         // benchmarking 198.18.0.0/15
    [InlineData("198.19.255.255")]
    [InlineData("192.168.1.1")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("::")]
    [InlineData("::ffff:10.0.0.1")]
    [InlineData("::ffff:192.0.2.2")]
    [InlineData("::10.0.0.1")]         // IPv4-compatible
    [InlineData("64:ff9b::a00:1")]     // NAT64 of 10.0.0.1
    [InlineData("2001:db8::1")]        // documentation
    [InlineData("2001:db8:ffff::1")]
    [InlineData("2001:0:4136:e378::1")] // Teredo
    [InlineData("2002:a00:1::1")]      // 6to4 of 10.0.0.1
    [InlineData("fd00::2")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    public void Private_shared_documentation_benchmarking_and_reserved_ranges_are_refused_even_when_this_machine_is_allowed(string text)
    {
        var address = IPAddress.Parse(text);
        Assert.False(OutboundHttp.IsAllowed(address, allowOwn: false, NoOwnAddresses));
        Assert.False(OutboundHttp.IsAllowed(address, allowOwn: true, NoOwnAddresses));
    }

    [Fact]
    public void A_public_address_of_this_machine_counts_as_this_machine()
    {
        // A server with a public interface address: its own services answer there as they do on loopback.
        var own = new HashSet<IPAddress> { IPAddress.Parse("93.184.216.34"), IPAddress.Parse("2606:4700:4700::1111") };
        foreach (var text in new[] { "93.184.216.34", "::ffff:93.184.216.34", "2606:4700:4700::1111" })
        {
            Assert.False(OutboundHttp.IsAllowed(IPAddress.Parse(text), allowOwn: false, own), text);
            Assert.True(OutboundHttp.IsAllowed(IPAddress.Parse(text), allowOwn: true, own), text);
        }
        Assert.True(OutboundHttp.IsAllowed(IPAddress.Parse("93.184.216.35"), allowOwn: false, own));
    }

    [Fact]
    public void Every_interface_address_of_this_machine_is_refused_by_default()
    {
        var interfaces = NetworkInterface.GetAllNetworkInterfaces()
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address).ToList();
        Assert.NotEmpty(interfaces);
        var own = OutboundHttp.LocalAddresses();
        foreach (var address in interfaces)
        {
            // As the guard runs: the machine's own list read from the system.
            Assert.False(OutboundHttp.IsAllowed(address, allowOwn: false), address.ToString());
            // And by that list alone, whatever range the address is in (a machine may have a public one).
            Assert.Contains(new IPAddress(address.GetAddressBytes()), own);
        }
    }
}
