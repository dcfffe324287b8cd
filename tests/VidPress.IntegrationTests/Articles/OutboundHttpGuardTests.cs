using System.Net;
using VidPress.Core;
using VidPress.Core.Network;

namespace VidPress.IntegrationTests.Articles;

/// <summary>
/// The SSRF guard on the real handler: every refused URL is refused before a connection is made. Where the
/// target can be a local socket, a listener on it counts accepts and must count none.
/// </summary>
public sealed class OutboundHttpGuardTests : IAsyncLifetime
{
    private NewsSite _site = null!;
    private readonly ConnectionRecorder _recorder4 = new(IPAddress.Loopback);
    private readonly ConnectionRecorder _recorder6 = new(IPAddress.IPv6Loopback);

    public async Task InitializeAsync() => _site = await NewsSite.StartAsync();

    public async Task DisposeAsync()
    {
        await _site.DisposeAsync();
        _recorder4.Dispose();
        _recorder6.Dispose();
    }

    private static NetworkOptions Production() => new() { AllowLoopback = false, Timeout = TimeSpan.FromSeconds(5) };

    private static async Task<VideoInputException> RefusedAsync(GuardedReader reader, string url)
    {
        var error = await Assert.ThrowsAsync<VideoInputException>(() => reader.ReadAsync(url));
        Assert.Contains("not allowed", error.Message);
        return error;
    }

    [Theory]
    [InlineData("http://127.0.0.1:{4}/")]
    [InlineData("http://[::1]:{6}/")]
    [InlineData("http://[::ffff:127.0.0.1]:{4}/")]
    [InlineData("http://2130706433:{4}/")]
    [InlineData("http://0x7f.1:{4}/")]
    [InlineData("http://127.1:{4}/")]
    [InlineData("http://0.0.0.0:{4}/")]
    public async Task Loopback_in_any_spelling_is_refused_without_connecting(string template)
    {
        using var reader = new GuardedReader(Production());
        var url = template.Replace("{4}", _recorder4.Port.ToString()).Replace("{6}", _recorder6.Port.ToString());

        await RefusedAsync(reader, url);

        await Task.Delay(100);
        Assert.Equal(0, _recorder4.Accepts);
        Assert.Equal(0, _recorder6.Accepts);
    }

    [Fact]
    public async Task The_recorder_does_see_a_connection_that_is_allowed()
    {
        // The control for the tests above: the same socket, allowed, is reached.
        var options = Production();
        options.LoopbackPortsForTests = new HashSet<int> { _recorder4.Port };
        options.Timeout = TimeSpan.FromMilliseconds(500);
        using var reader = new GuardedReader(options);

        await Assert.ThrowsAsync<VideoInputException>(() => reader.ReadAsync($"http://127.0.0.1:{_recorder4.Port}/"));

        Assert.Equal(1, _recorder4.Accepts);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/")]
    [InlineData("http://10.0.0.1/")]
    [InlineData("http://192.168.1.1/")]
    [InlineData("http://172.16.0.1/")]
    [InlineData("http://100.64.0.1/")]
    [InlineData("http://[fd00::1]/")]
    [InlineData("http://[fe80::1]/")]
    public async Task Private_and_link_local_literals_are_refused_at_once(string url)
    {
        using var reader = new GuardedReader(Production());
        var error = await RefusedAsync(reader, url);
        Assert.Contains("not a public address", error.Message);
    }

    [Theory]
    [InlineData("file:///etc/passwd", "Scheme 'file'")]
    [InlineData("gopher://example.com/", "Scheme 'gopher'")]
    [InlineData("ftp://example.com/a.html", "Scheme 'ftp'")]
    [InlineData("http://user:secret@example.com/", "Credentials")]
    public async Task Other_schemes_and_credentials_are_refused_before_any_lookup(string url, string reason)
    {
        var resolver = new FakeResolver([]);
        using var reader = new GuardedReader(Production(), resolver);

        var error = await RefusedAsync(reader, url);

        Assert.Contains(reason, error.Message);
        Assert.Empty(resolver.Lookups);
    }

    [Fact]
    public async Task A_name_resolving_to_a_private_address_is_refused_through_the_connect_callback()
    {
        var resolver = new FakeResolver(new() { ["intranet.example"] = [IPAddress.Parse("10.0.0.1")] });
        using var reader = new GuardedReader(Production(), resolver);

        var error = await RefusedAsync(reader, "http://intranet.example/story");

        Assert.Contains("10.0.0.1", error.Message);
        Assert.Equal(["intranet.example"], resolver.Lookups);
    }

    [Fact]
    public async Task A_name_rebound_to_loopback_is_refused_without_connecting()
    {
        var resolver = new FakeResolver(new() { ["rebind.example"] = [IPAddress.Loopback] });
        using var reader = new GuardedReader(Production(), resolver);

        await RefusedAsync(reader, $"http://rebind.example:{_recorder4.Port}/");

        await Task.Delay(100);
        Assert.Equal(0, _recorder4.Accepts);
    }

    [Fact]
    public async Task A_name_with_one_private_address_among_public_ones_is_refused()
    {
        // Connecting would pick any of them; one bad address is enough to refuse.
        var resolver = new FakeResolver(new() { ["mixed.example"] = [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.1")] });
        using var reader = new GuardedReader(Production(), resolver);

        var error = await RefusedAsync(reader, "http://mixed.example/");

        Assert.Contains("10.0.0.1", error.Message);
    }

    [Fact]
    public async Task A_redirect_from_an_allowed_page_to_another_page_of_it_is_followed()
    {
        var options = Production();
        options.LoopbackPortsForTests = new HashSet<int> { _site.Port };
        using var reader = new GuardedReader(options);

        var article = await reader.ReadAsync(_site.Url("/redirect?to=" + Uri.EscapeDataString(_site.Url("/news/en-council-buses.html"))));

        Assert.Contains("electric buses", article.Text);
    }

    [Fact]
    public async Task A_redirect_to_an_unallowed_loopback_port_is_refused_without_connecting()
    {
        var options = Production();
        options.LoopbackPortsForTests = new HashSet<int> { _site.Port };
        using var reader = new GuardedReader(options);

        await RefusedAsync(reader, _site.Url("/redirect?to=" + Uri.EscapeDataString($"http://127.0.0.1:{_recorder4.Port}/admin")));

        await Task.Delay(100);
        Assert.Equal(0, _recorder4.Accepts);
    }

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/")]
    [InlineData("http://10.1.2.3:8080/internal")]
    [InlineData("http://intranet.example/")]
    public async Task A_redirect_to_an_internal_address_is_refused(string target)
    {
        var resolver = new FakeResolver(new() { ["intranet.example"] = [IPAddress.Parse("10.0.0.1")] });
        var options = Production();
        options.LoopbackPortsForTests = new HashSet<int> { _site.Port };
        using var reader = new GuardedReader(options, resolver);

        var error = await RefusedAsync(reader, _site.Url("/redirect?to=" + Uri.EscapeDataString(target)));

        Assert.Contains("not a public address", error.Message);
    }

    [Fact]
    public async Task A_body_larger_than_the_cap_is_refused_while_reading()
    {
        var options = Production();
        options.LoopbackPortsForTests = new HashSet<int> { _site.Port };
        options.MaxResponseBytes = 64 * 1024;
        using var reader = new GuardedReader(options);

        var error = await Assert.ThrowsAsync<VideoInputException>(() => reader.ReadAsync(_site.Url("/big")));

        Assert.Contains("larger than 65536 bytes", error.Message);
    }

    [Fact]
    public async Task A_declared_length_over_the_cap_is_refused_before_reading()
    {
        var options = Production();
        options.LoopbackPortsForTests = new HashSet<int> { _site.Port };
        options.MaxResponseBytes = 64 * 1024;
        using var reader = new GuardedReader(options);

        var error = await Assert.ThrowsAsync<VideoInputException>(() => reader.ReadAsync(_site.Url("/big-declared")));

        Assert.Contains("larger than 65536 bytes", error.Message);
    }

    [Theory]
    [InlineData("/slow-body")]
    [InlineData("/no-answer")]
    public async Task A_page_that_answers_too_slowly_is_given_up_at_the_time_cap(string path)
    {
        var options = Production();
        options.LoopbackPortsForTests = new HashSet<int> { _site.Port };
        options.Timeout = TimeSpan.FromSeconds(1);
        using var reader = new GuardedReader(options);
        var started = DateTime.UtcNow;

        var error = await Assert.ThrowsAsync<VideoInputException>(() => reader.ReadAsync(_site.Url(path)));

        Assert.Contains("did not answer in time", error.Message);
        // Far below the server's 30 s: the cap, not the server, ended it.
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10));
    }
}
