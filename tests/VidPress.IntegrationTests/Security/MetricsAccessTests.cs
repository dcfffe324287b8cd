using System.Net;
using System.Net.Http.Headers;
using VidPress.Api.Infrastructure;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

public sealed class MetricsAccessRuleTests
{
    private const string Token = "scrape-token-for-tests-0123456789";

    [Theory]
    [InlineData("127.0.0.1", null, null, true)]
    [InlineData("::1", null, null, true)]
    [InlineData(null, null, null, true)]                      // in-process or Unix socket
    [InlineData("10.0.0.7", null, null, false)]               // no token set: only this machine
    [InlineData("10.0.0.7", "Bearer " + Token, null, false)]  // a token nobody configured opens nothing
    [InlineData("10.0.0.7", "Bearer " + Token, Token, true)]
    [InlineData("10.0.0.7", "bearer  " + Token + " ", Token, true)]
    [InlineData("127.0.0.1", null, Token, false)]             // with a token set, it is always asked for
    [InlineData("10.0.0.7", "Bearer wrong", Token, false)]
    [InlineData("10.0.0.7", "Basic " + Token, Token, false)]
    [InlineData("10.0.0.7", "Bearer ", Token, false)]
    public void Scrapes_are_allowed_by_token_or_from_this_machine(string? remote, string? authorization, string? token, bool allowed) =>
        Assert.Equal(allowed, MetricsAccess.Allows(remote is null ? null : IPAddress.Parse(remote), authorization, token));
}

/// <summary>A service with a scrape token; its own host, without workers.</summary>
public sealed class ScrapeTokenFixture : ServiceFixture
{
    public const string Token = "scrape-token-for-tests-0123456789";

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Metrics:ScrapeToken"] = Token,
        ["Jobs:RunWorkersInProcess"] = "false",
    };
}

public sealed class MetricsAccessTests(ScrapeTokenFixture service) : IClassFixture<ScrapeTokenFixture>
{
    [Fact]
    public async Task Metrics_answer_the_scrape_token_and_not_a_tenants_api_key()
    {
        // The test client sends a tenant's API key: service-wide figures are not a tenant's to read.
        using (var withKey = await service.Client.GetAsync("/metrics"))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, withKey.StatusCode);
            Assert.Equal("application/problem+json", withKey.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Bearer", withKey.Headers.WwwAuthenticate.ToString());
        }
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token") } };
        using (var refused = await service.Client.SendAsync(wrong))
            Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var scrape = new HttpRequestMessage(HttpMethod.Get, "/metrics") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", ScrapeTokenFixture.Token) } };
        using var response = await service.Client.SendAsync(scrape);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("vidpress_videos", await response.Content.ReadAsStringAsync());
    }
}
