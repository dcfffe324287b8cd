using System.Net;
using System.Text.RegularExpressions;
using Hangfire;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

/// <summary>
/// The service on Kestrel at a real loopback URL (Hangfire's dashboard answers only local requests, which the
/// in-memory test server cannot make), without workers, so a scheduled job stays as the dashboard left it.
/// </summary>
public class JobsDashboardFixture : ServiceFixture
{
    public string BaseUrl { get; private set; } = "";

    protected override bool ServeOnKestrel => true;

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?> { ["Jobs:RunWorkersInProcess"] = "false" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    /// <summary>A job a day away: nothing but the dashboard will change it.</summary>
    public string ScheduleJob() =>
        Factory.Services.GetRequiredService<IBackgroundJobClient>().Schedule(() => Console.WriteLine("dashboard test"), TimeSpan.FromDays(1));

    public string StateOf(string jobId)
    {
        using var connection = Factory.Services.GetRequiredService<JobStorage>().GetConnection();
        return connection.GetStateData(jobId).Name;
    }

    /// <summary>A browser of an operator on this machine: real HTTP to Kestrel, keeping cookies.</summary>
    public HttpClient Browser() => new(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
    {
        BaseAddress = new Uri(BaseUrl),
    };

    /// <summary>The antiforgery header and token a dashboard page gives its script (its cookie stays in the browser).</summary>
    public static async Task<(string Header, string Token, string Html)> OpenPageAsync(HttpClient browser, string path)
    {
        using var page = await browser.GetAsync(path);
        var html = await page.Content.ReadAsStringAsync();
        Assert.True(page.StatusCode == HttpStatusCode.OK, $"{path}: {(int)page.StatusCode}");
        var header = Regex.Match(html, "<meta name=\"csrf-header\" content=\"([^\"]+)\"");
        var token = Regex.Match(html, "<meta name=\"csrf-token\" content=\"([^\"]+)\"");
        Assert.True(header.Success && token.Success, "the page carries no antiforgery token");
        return (header.Groups[1].Value, WebUtility.HtmlDecode(token.Groups[1].Value), html);
    }

    public static HttpRequestMessage Post(string path, string? origin, (string Header, string Token)? antiforgery = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent([]) };
        if (origin is not null) request.Headers.Add("Origin", origin);
        if (antiforgery is { } a) request.Headers.Add(a.Header, a.Token);
        return request;
    }
}

/// <summary>An operator who set Operations:DashboardWritable=true: the dashboard's buttons work, for the operator only.</summary>
public sealed class WritableJobsDashboardFixture : JobsDashboardFixture
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Jobs:RunWorkersInProcess"] = "false",
        ["Operations:DashboardWritable"] = "true",
    };
}

public sealed class WritableJobsDashboardTests(WritableJobsDashboardFixture service) : IClassFixture<WritableJobsDashboardFixture>
{
    private const string Evil = "https://evil.example";

    [Theory]
    [InlineData("delete")]
    [InlineData("requeue")]
    public async Task A_cross_site_post_without_a_token_is_refused_and_the_job_is_unchanged(string action)
    {
        var job = service.ScheduleJob();
        using var browser = service.Browser();

        // What a page on another origin can make the operator's browser send: the form, no token.
        using (var forged = await browser.SendAsync(JobsDashboardFixture.Post($"/hangfire/jobs/actions/{action}/{job}", Evil)))
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        Assert.Equal("Scheduled", service.StateOf(job));

        // Even with the operator's antiforgery cookie in the browser (it is SameSite=Strict, so a browser would not
        // send it cross-site anyway), the request token is what the other origin cannot read.
        await JobsDashboardFixture.OpenPageAsync(browser, $"/hangfire/jobs/details/{job}");
        using (var withCookie = await browser.SendAsync(JobsDashboardFixture.Post($"/hangfire/jobs/actions/{action}/{job}", Evil)))
            Assert.Equal(HttpStatusCode.Forbidden, withCookie.StatusCode);
        using (var wrongToken = await browser.SendAsync(JobsDashboardFixture.Post($"/hangfire/jobs/actions/{action}/{job}", Evil,
                   ("RequestVerificationToken", "CfDJ8-forged-token"))))
            Assert.Equal(HttpStatusCode.Forbidden, wrongToken.StatusCode);
        Assert.Equal("Scheduled", service.StateOf(job));
    }

    [Fact]
    public async Task The_operators_own_post_with_the_pages_token_deletes_the_job()
    {
        // The control for the refusals above: the same request, with the token the page gave, is carried out.
        var job = service.ScheduleJob();
        using var browser = service.Browser();
        var (header, token, html) = await JobsDashboardFixture.OpenPageAsync(browser, $"/hangfire/jobs/details/{job}");
        Assert.Contains($"jobs/actions/delete/{job}", html);

        using var response = await browser.SendAsync(JobsDashboardFixture.Post($"/hangfire/jobs/actions/delete/{job}", service.BaseUrl, (header, token)));

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("Deleted", service.StateOf(job));
    }
}

public sealed class JobsDashboardTests(JobsDashboardFixture service) : IClassFixture<JobsDashboardFixture>
{
    [Theory]
    [InlineData("delete")]
    [InlineData("requeue")]
    public async Task In_the_default_read_only_mode_even_the_operators_own_post_changes_nothing(string action)
    {
        var job = service.ScheduleJob();
        using var browser = service.Browser();
        var (header, token, html) = await JobsDashboardFixture.OpenPageAsync(browser, $"/hangfire/jobs/details/{job}");
        Assert.DoesNotContain($"jobs/actions/{action}/{job}", html);

        using var response = await browser.SendAsync(JobsDashboardFixture.Post($"/hangfire/jobs/actions/{action}/{job}", service.BaseUrl, (header, token)));

        Assert.False(response.IsSuccessStatusCode, $"{(int)response.StatusCode}");
        Assert.Equal("Scheduled", service.StateOf(job));
    }

    [Theory]
    [InlineData("/hangfire")]
    [InlineData("/hangfire/jobs/scheduled")]
    [InlineData("/hangfire/servers")]
    public async Task Dashboard_pages_still_open_for_an_operator_on_this_machine(string path)
    {
        var job = service.ScheduleJob();
        using var browser = service.Browser();

        using var page = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        var html = await page.Content.ReadAsStringAsync();
        Assert.Contains("Hangfire", html);
        if (path.EndsWith("/scheduled", StringComparison.Ordinal)) Assert.Contains(job, html);
    }
}
