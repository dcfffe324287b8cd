using VidPress.Core.Delivery;
using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Delivery;

public sealed class SidecarSubtitlesTests
{
    private static TimelineDocument Timeline(string language, params SubtitleCue[] cues) => new()
    {
        AspectRatio = "16:9", Resolution = "720p", Width = 1280, Height = 720, Language = language, NarrationKey = "n.wav",
        DurationSeconds = 4000, Clips = [], Subtitles = cues,
    };

    [Fact]
    public void Srt_numbers_cues_from_one_with_comma_milliseconds_and_crlf()
    {
        var srt = SidecarSubtitles.Write(Timeline("en", new SubtitleCue(0.4, 1.6, "The council met on Tuesday,"), new SubtitleCue(1.6, 3.25, "and voted\nto close the bridge.")),
            SubtitleFormat.Srt);
        Assert.Equal(
            "1\r\n00:00:00,400 --> 00:00:01,600\r\nThe council met on Tuesday,\r\n\r\n" +
            "2\r\n00:00:01,600 --> 00:00:03,250\r\nand voted\r\nto close the bridge.\r\n\r\n", srt);
    }

    [Fact]
    public void WebVtt_starts_with_its_header_uses_dot_milliseconds_and_escapes_markup()
    {
        var vtt = SidecarSubtitles.Write(Timeline("en", new SubtitleCue(61.0005, 3725.5, "Rates <up> 5% & more --> soon")), SubtitleFormat.Vtt);
        Assert.Equal("WEBVTT\n\n1\n00:01:01.001 --> 01:02:05.500\nRates &lt;up&gt; 5% &amp; more --&gt; soon\n\n", vtt);
    }

    [Theory]
    [InlineData(0, ',', "00:00:00,000")]
    [InlineData(59.9996, ',', "00:01:00,000")]
    [InlineData(3599.999, '.', "00:59:59.999")]
    [InlineData(36000.042, '.', "10:00:00.042")]
    public void Times_are_rounded_to_the_millisecond(double seconds, char separator, string expected) =>
        Assert.Equal(expected, SidecarSubtitles.Time((long)Math.Round(seconds * 1000, MidpointRounding.AwayFromZero), separator));

    [Fact]
    public void Cues_without_text_or_time_are_left_out_and_the_rest_numbered_in_order_of_start()
    {
        var srt = SidecarSubtitles.Write(Timeline("en",
            new SubtitleCue(3, 4, "third"), new SubtitleCue(1, 2, "first"), new SubtitleCue(2, 2, "no time"), new SubtitleCue(2, 3, " \n "),
            new SubtitleCue(2.5, 2.9, "second")), SubtitleFormat.Srt);
        var blocks = srt.Split("\r\n\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["1", "2", "3"], blocks.Select(b => b.Split("\r\n")[0]));
        Assert.Equal(["first", "second", "third"], blocks.Select(b => b.Split("\r\n")[2]));
    }

    [Fact]
    public void A_long_chinese_line_is_broken_by_the_cjk_rules_and_an_arrow_cannot_break_srt()
    {
        var vtt = SidecarSubtitles.Write(Timeline("zh", new SubtitleCue(0, 3, "今天上午，市政府召开新闻发布会，宣布将在明年完成老城区改造工程。")), SubtitleFormat.Vtt, cjkCharacters: 16);
        var lines = vtt.Split('\n').Skip(4).TakeWhile(l => l.Length > 0).ToList();
        Assert.Equal("今天上午，市政府召开新闻发布会，宣布将在明年完成老城区改造工程。", string.Concat(lines));
        Assert.True(lines.Count >= 2);
        Assert.All(lines, l => Assert.True(l.Length <= 16, l));
        Assert.All(lines, l => Assert.DoesNotContain(l[0], "，。！？、"));

        var srt = SidecarSubtitles.Write(Timeline("en", new SubtitleCue(0, 1, "a --> b")), SubtitleFormat.Srt);
        Assert.Single(srt.Split("\r\n"), l => l.Contains("-->", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("srt", true, SubtitleFormat.Srt)]
    [InlineData("VTT", true, SubtitleFormat.Vtt)]
    [InlineData("ass", false, SubtitleFormat.Vtt)]
    [InlineData(null, false, SubtitleFormat.Vtt)]
    [InlineData("1", false, SubtitleFormat.Vtt)]
    public void Only_srt_and_vtt_are_formats(string? name, bool known, SubtitleFormat expected)
    {
        Assert.Equal(known, SidecarSubtitles.TryParse(name, out var format));
        if (known) Assert.Equal(expected, format);
    }
}
