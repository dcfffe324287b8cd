using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using VidPress.Core.Delivery;
using VidPress.Core.Tenants;

namespace VidPress.UnitTests.Delivery;

public sealed class ApiKeyFormatTests
{
    [Fact]
    public void A_new_key_has_the_documented_shape_and_matches_only_its_own_hash()
    {
        var key = ApiKeyFormat.Generate();
        Assert.Matches("^vp_[0-9a-f]{8}_[A-Za-z0-9_-]{43}$", key.Key);
        Assert.True(ApiKeyFormat.TryGetPrefix(key.Key, out var prefix));
        Assert.Equal(key.Prefix, prefix);
        Assert.Equal(64, key.Hash.Length);
        Assert.True(ApiKeyFormat.Matches(key.Key, key.Hash));
        Assert.False(ApiKeyFormat.Matches(key.Key[..^1] + (key.Key[^1] == 'A' ? 'B' : 'A'), key.Hash));
        Assert.NotEqual(key.Key, ApiKeyFormat.Generate().Key);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("vp_short")]
    [InlineData("xx_0123abcd_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("vp_0123ABCD_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("vp_0123abcd-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    public void Malformed_keys_have_no_prefix(string? key) => Assert.False(ApiKeyFormat.TryGetPrefix(key, out _));
}

public sealed class DownloadLinksTests
{
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private DownloadLinks Links(string key = "unit-test-signing-key-0123456789abcdef") =>
        new(Options.Create(new DownloadOptions { SigningKey = key, LinkLifetime = TimeSpan.FromHours(1) }), _clock);

    private static (long Expires, string Sig) Parse(string path)
    {
        var query = System.Web.HttpUtility.ParseQueryString(new Uri("http://x" + path).Query);
        return (long.Parse(query["expires"]!, System.Globalization.CultureInfo.InvariantCulture), query["sig"]!);
    }

    [Fact]
    public void A_link_is_valid_for_its_video_until_it_expires()
    {
        var id = Guid.NewGuid();
        var (expires, sig) = Parse(Links().PathFor(id));
        Assert.Equal(_clock.GetUtcNow().AddHours(1).ToUnixTimeSeconds(), expires);
        Assert.True(Links().IsValid(id, expires, sig));
        Assert.False(Links().IsValid(Guid.NewGuid(), expires, sig));
        Assert.False(Links().IsValid(id, expires + 1, sig));
        Assert.False(Links("another-signing-key-0123456789abcdef0").IsValid(id, expires, sig));
        Assert.False(Links().IsValid(id, expires, sig[..^2]));
        Assert.False(Links().IsValid(id, expires, "not base64url!"));
        Assert.False(Links().IsValid(id, expires, null));
        _clock.Advance(TimeSpan.FromHours(1));
        Assert.False(Links().IsValid(id, expires, sig));
    }

    [Fact]
    public void A_format_link_opens_that_format_only_and_the_main_link_no_format()
    {
        var id = Guid.NewGuid();
        var at = _clock.GetUtcNow().AddHours(1);
        var path = Links().PathFor(id, "9x16-1080p", at);
        Assert.StartsWith($"/videos/{id}/download?format=9x16-1080p&expires=", path);
        var (expires, sig) = Parse(path);
        Assert.True(Links().IsValid(id, expires, sig, "9x16-1080p"));
        Assert.False(Links().IsValid(id, expires, sig, "1x1-720p"));
        Assert.False(Links().IsValid(id, expires, sig), "a format's signature is no main link's");
        var (mainExpires, mainSig) = Parse(Links().PathFor(id, at));
        Assert.False(Links().IsValid(id, mainExpires, mainSig, "9x16-1080p"), "format= added to the main link is refused");
        Assert.False(Links().IsValid(id, expires, sig, new string('x', 51)));
    }

    [Fact]
    public void A_subtitles_link_opens_its_format_of_its_video_only()
    {
        var id = Guid.NewGuid();
        var links = Links().For(id, ["16x9-720p", "9x16-720p"], subtitles: true);
        Assert.Equal(["16x9-720p", "9x16-720p"], links.Downloads.Keys);
        Assert.StartsWith($"/videos/{id}/subtitles/download?format=vtt&expires=", links.Subtitles!.Vtt);
        var (expires, sig) = Parse(links.Subtitles.Vtt);
        Assert.True(Links().IsValidSubtitles(id, SubtitleFormat.Vtt, expires, sig));
        Assert.False(Links().IsValidSubtitles(id, SubtitleFormat.Srt, expires, sig));
        Assert.False(Links().IsValidSubtitles(Guid.NewGuid(), SubtitleFormat.Vtt, expires, sig));
        Assert.False(Links().IsValid(id, expires, sig), "a subtitles signature opens no MP4");
        var (srtExpires, srtSig) = Parse(links.Subtitles.Srt);
        Assert.True(Links().IsValidSubtitles(id, SubtitleFormat.Srt, srtExpires, srtSig));
        Assert.Null(Links().For(id, [], subtitles: false).Subtitles);
    }

    [Fact]
    public void Without_a_long_enough_key_no_link_is_made() =>
        Assert.Throws<InvalidOperationException>(() => Links("short").PathFor(Guid.NewGuid()));
}

public sealed class WebhookRetryTests
{
    [Fact]
    public void Delays_follow_the_configured_schedule_within_the_jitter_and_end_after_the_last()
    {
        var options = new WebhookOptions { RetryDelaysSeconds = [10, 100], RetryJitter = 0.2 };
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            Assert.InRange(WebhookRetry.DelayAfter(1, options, random)!.Value.TotalSeconds, 8, 12);
            Assert.InRange(WebhookRetry.DelayAfter(2, options, random)!.Value.TotalSeconds, 80, 120);
        }
        Assert.Null(WebhookRetry.DelayAfter(3, options, random));
        var spread = Enumerable.Range(0, 50).Select(_ => WebhookRetry.DelayAfter(2, options, random)!.Value).Distinct().Count();
        Assert.True(spread > 10, "jitter should spread the retries");
    }

    [Fact]
    public void A_retry_is_due_no_earlier_than_its_delay_even_where_the_schedule_keeps_whole_seconds()
    {
        var random = new Random(11);
        for (var i = 0; i < 500; i++)
        {
            var now = DateTimeOffset.UnixEpoch.AddTicks(1_700_000_000L * TimeSpan.TicksPerSecond + random.NextInt64(TimeSpan.TicksPerDay));
            var delay = TimeSpan.FromMilliseconds(random.Next(1, 5000));
            var due = WebhookRetry.DueAt(now, delay);
            // Hangfire stores the due time as whole Unix seconds, truncated: that stored time must not be early.
            var stored = DateTimeOffset.FromUnixTimeSeconds(due.ToUnixTimeSeconds());
            Assert.True(stored >= now + delay, $"{now:O} + {delay} stored as {stored:O}");
            Assert.True(due - (now + delay) < TimeSpan.FromSeconds(1));
        }
        var exact = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.Equal(exact.AddSeconds(2), WebhookRetry.DueAt(exact, TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void Without_configuration_the_default_schedule_spans_hours()
    {
        var options = new WebhookOptions();
        Assert.Equal(TimeSpan.FromSeconds(5), WebhookRetry.DelayAfter(1, new WebhookOptions { RetryJitter = 0 }, new Random(1)));
        Assert.NotNull(WebhookRetry.DelayAfter(WebhookRetry.DefaultDelaysSeconds.Length, options, new Random(1)));
        Assert.Null(WebhookRetry.DelayAfter(WebhookRetry.DefaultDelaysSeconds.Length + 1, options, new Random(1)));
        Assert.True(WebhookRetry.DefaultDelaysSeconds.Sum() > 12 * 3600);
    }
}
