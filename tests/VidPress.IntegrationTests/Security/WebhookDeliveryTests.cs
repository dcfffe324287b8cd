using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Api.Videos;
using VidPress.Core.Delivery;
using VidPress.Core.Tenants;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Security;

/// <summary>The success webhook of newsroom A's video: its receiver failed three times before it took it.</summary>
[Collection(SharedService.Name)]
public sealed class WebhookDeliveryTests(ServiceFixture shared) : IAsyncLifetime
{
    private TwoNewsrooms _service = null!;

    public async Task InitializeAsync() => _service = await TwoNewsrooms.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private Task<IReadOnlyList<ReceivedWebhook>> FourDeliveriesAsync() =>
        _service.Webhooks.WaitForAsync(r => r.Count(w => w.Path == "/hooks/newsroom-a") >= 4, TimeSpan.FromMinutes(1))
            .ContinueWith(t => (IReadOnlyList<ReceivedWebhook>)t.Result.Where(w => w.Path == "/hooks/newsroom-a").ToList());

    [Fact]
    public async Task A_receiver_that_fails_three_times_gets_four_deliveries_of_one_webhook_id()
    {
        var received = await FourDeliveriesAsync();
        await Task.Delay(TimeSpan.FromSeconds(3)); // long enough for a wrongly scheduled fifth attempt to arrive
        received = _service.Webhooks.Received.Where(w => w.Path == "/hooks/newsroom-a").ToList();
        Assert.Equal(4, received.Count);
        Assert.Single(received.Select(w => w.Headers["webhook-id"]).Distinct());
        Assert.All(received, w => Assert.Contains("\"video.succeeded\"", w.Body));
        // Retried after about a second each (1 s ± 20 % plus Hangfire's one-second polling), not all at once.
        for (var i = 1; i < received.Count; i++) Assert.True(received[i].At - received[i - 1].At >= TimeSpan.FromMilliseconds(700), $"attempt {i + 1} came too soon");

        var attempts = await _service.GetAsync<DeliveryResponse[]>($"/videos/{_service.VideoA}/deliveries");
        Assert.Equal([1, 2, 3, 4], attempts.Select(a => a.Attempt));
        Assert.Equal([false, false, false, true], attempts.Select(a => a.Succeeded));
        Assert.All(attempts.Take(3), a => Assert.Equal(500, a.StatusCode));
        Assert.Single(attempts.Select(a => a.WebhookId).Distinct());
    }

    [Fact]
    public async Task Every_delivery_verifies_with_the_tenants_own_secret_and_not_with_another()
    {
        var received = await FourDeliveriesAsync();
        Assert.NotNull(_service.A.WebhookSecret);
        foreach (var webhook in received)
        {
            Assert.True(StandardWebhooks.Verify(_service.A.WebhookSecret!, webhook.Headers, webhook.Body, webhook.At, Tolerance), webhook.Headers["webhook-signature"]);
            Assert.False(StandardWebhooks.Verify(_service.B.WebhookSecret!, webhook.Headers, webhook.Body, webhook.At, Tolerance));
            Assert.False(StandardWebhooks.Verify(_service.A.WebhookSecret!, webhook.Headers, webhook.Body.Replace("succeeded", "failed"), webhook.At, Tolerance));
            Assert.False(StandardWebhooks.Verify(_service.A.WebhookSecret!, webhook.Headers, webhook.Body, webhook.At + TimeSpan.FromMinutes(10), Tolerance));
        }
    }

    [Fact]
    public async Task The_webhooks_download_link_works_without_a_key_and_serves_ranges()
    {
        var last = (await FourDeliveriesAsync())[^1];
        var link = new Uri(JsonDocument.Parse(last.Body).RootElement.GetProperty("data").GetProperty("links").GetProperty("download").GetString()!);
        Assert.Equal("vidpress.test", link.Host);

        using var whole = await _service.Anonymous.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("video/mp4", whole.Content.Headers.ContentType?.MediaType);
        var bytes = await whole.Content.ReadAsByteArrayAsync();
        Assert.True(bytes.Length > 1000);

        using var request = new HttpRequestMessage(HttpMethod.Get, link.PathAndQuery);
        request.Headers.Range = new RangeHeaderValue(100, 199);
        using var part = await _service.Anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(bytes[100..200], await part.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task The_video_response_carries_a_download_link_that_works_without_a_key()
    {
        var video = await _service.ClientA.GetVideoAsync(_service.VideoA);
        var link = video.Links.Download!;
        Assert.StartsWith($"/videos/{_service.VideoA}/download?expires=", link);
        using var response = await _service.Anonymous.GetAsync(link);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task A_tampered_expired_or_unsigned_download_link_is_a_403_problem()
    {
        var links = _service.Factory.Services.GetRequiredService<DownloadLinks>();
        var good = links.PathFor(_service.VideoA);
        var sig = good[(good.IndexOf("sig=", StringComparison.Ordinal) + 4)..];
        var expires = long.Parse(good.Split("expires=")[1].Split('&')[0], System.Globalization.CultureInfo.InvariantCulture);
        var flipped = (sig[0] == 'A' ? 'B' : 'A') + sig[1..];
        string[] bad =
        [
            $"/videos/{_service.VideoA}/download?expires={expires}&sig={flipped}",                 // signature changed
            $"/videos/{_service.VideoA}/download?expires={expires + 3600}&sig={sig}",             // expiry pushed out
            $"/videos/{Guid.NewGuid()}/download?expires={expires}&sig={sig}",                    // another video
            links.PathFor(_service.VideoA, DateTimeOffset.UtcNow.AddSeconds(-5)),                 // expired
            $"/videos/{_service.VideoA}/download?expires={expires}",                              // unsigned
            $"/videos/{_service.VideoA}/download",
        ];
        foreach (var path in bad)
        {
            using var response = await _service.Anonymous.GetAsync(path);
            Assert.True(response.StatusCode == HttpStatusCode.Forbidden, $"{path}: {(int)response.StatusCode}");
            await Problems.ProblemAsync(response);
        }
        using var fine = await _service.Anonymous.GetAsync(good);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
    }

    [Fact]
    public async Task A_rotated_webhook_secret_is_returned_and_the_default_tenant_falls_back_to_the_service_secret()
    {
        await using var scope = _service.Factory.Services.CreateAsyncScope();
        var admin = scope.ServiceProvider.GetRequiredService<TenantAdmin>();
        var c = await _service.CreateKeyAsync("newsroom-rotating");
        Assert.Equal(c.WebhookSecret, await admin.WebhookSecretAsync("newsroom-rotating", rotate: false, CancellationToken.None));
        var rotated = await admin.WebhookSecretAsync("newsroom-rotating", rotate: true, CancellationToken.None);
        Assert.NotEqual(c.WebhookSecret, rotated);
        Assert.StartsWith("whsec_", rotated);
        Assert.Equal(32, Convert.FromBase64String(rotated!["whsec_".Length..]).Length);
        Assert.Null(await admin.WebhookSecretAsync("default", rotate: false, CancellationToken.None));
    }
}
