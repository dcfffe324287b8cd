using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Data;
using VidPress.Core.Network;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

/// <summary>
/// The service with the production network setting (Network:AllowLoopback off, which the other fixtures turn on),
/// listening on every interface of this machine, as a host whose port is reachable from outside would.
/// </summary>
public sealed class NetworkDefaultsFixture : ServiceFixture
{
    public int Port { get; private set; }

    protected override bool ServeOnKestrel => true;

    protected override void UseKestrel(VidPressFactory factory) => factory.UseKestrel(o => o.Listen(IPAddress.IPv6Any, 0));

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Network:AllowLoopback"] = "false" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        Port = new Uri(Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()
            .Replace("[::]", "localhost")).Port;
        // The server's address is [::], which a client cannot connect to.
        Client.BaseAddress = new Uri($"http://127.0.0.1:{Port}");
    }
}

public sealed class NetworkDefaultsTests(NetworkDefaultsFixture service) : IClassFixture<NetworkDefaultsFixture>
{
    /// <summary>The service's own URLs: loopback in several spellings, and every address of this machine's interfaces.</summary>
    private IEnumerable<string> OwnUrls(string path)
    {
        foreach (var host in new[] { "127.0.0.1", "localhost", "[::1]", "[::ffff:127.0.0.1]", "127.0.0.2" })
            yield return $"http://{host}:{service.Port}{path}";
        foreach (var address in OutboundHttp.LocalAddresses().Where(a => !IPAddress.IsLoopback(a) && !a.IsIPv6LinkLocal))
            yield return $"http://{(address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString())}:{service.Port}{path}";
    }

    [Fact]
    public async Task The_service_answers_on_those_urls_itself()
    {
        // The control: what the article fetch is refused is really there. /metrics answers loopback without a
        // token (all tenants' figures), and every interface address reaches the service.
        using var client = new HttpClient();
        var metrics = await client.GetStringAsync($"http://127.0.0.1:{service.Port}/metrics");
        Assert.Contains("vidpress_videos", metrics);
        foreach (var url in OwnUrls("/health/live"))
        {
            using var response = await client.GetAsync(url);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{url}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task An_article_url_at_the_services_own_metrics_is_refused_by_default()
    {
        var urls = OwnUrls("/metrics").ToList();
        Assert.Contains(urls, u => !u.Contains("127.0.0.") && !u.Contains("localhost") && !u.Contains("::1"));
        var videos = new List<(string Url, Guid Id)>();
        foreach (var url in urls)
        {
            using var post = await service.Client.PostAsJsonAsync("/videos", new { url, aspectRatio = "16:9", resolution = "720p", targetDurationSeconds = 5 });
            Assert.True(post.StatusCode == HttpStatusCode.Accepted, await post.Content.ReadAsStringAsync());
            videos.Add((url, (await post.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("id").GetGuid()));
        }

        foreach (var (url, id) in videos)
        {
            var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(1));
            Assert.Equal(VideoStatus.Failed, video.Status);
            var error = video.Error!;
            Assert.True(error.StartsWith("The article URL is not allowed", StringComparison.Ordinal), $"{url}: {error}");
            Assert.True(await service.Database.ScalarAsync<bool>($"""SELECT "ArticleText" IS NULL FROM videos WHERE "Id" = '{id}'"""), url);
        }
    }
}
