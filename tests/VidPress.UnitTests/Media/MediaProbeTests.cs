using Microsoft.Extensions.Options;
using VidPress.Core.Media;

namespace VidPress.UnitTests.Media;

public class MediaProbeTests
{
    private static readonly MediaProbe Probe = new(Options.Create(new MediaOptions { MaxPixels = 4096L * 4096, MaxDurationSeconds = 600, MaxStreams = 4 }));

    private static string Json(string format, string duration, params string[] streams) =>
        $$"""{ "streams": [{{string.Join(",", streams)}}], "format": { "format_name": "{{format}}", "duration": "{{duration}}" } }""";

    private const string Video = """{ "codec_type": "video", "width": 1280, "height": 720, "avg_frame_rate": "30000/1001" }""";
    private const string Audio = """{ "codec_type": "audio" }""";

    [Fact]
    public void Video_with_sound_is_accepted_with_its_measures()
    {
        var info = Probe.Interpret(Json("mov,mp4,m4a,3gp,3g2,mj2", "12.5", Video, Audio));
        Assert.False(info.IsStill);
        Assert.Equal((1280, 720), (info.Width, info.Height));
        Assert.Equal(12.5, info.DurationSeconds);
        Assert.Equal(29.97, info.FrameRate, 2);
        Assert.Equal(1, info.AudioStreams);
    }

    [Fact]
    public void Png_is_a_still()
    {
        Assert.True(Probe.Interpret(Json("png_pipe", "N/A", Video)).IsStill);
    }

    [Theory]
    [InlineData("no picture")]
    [InlineData("too many pixels")]
    [InlineData("too long")]
    [InlineData("too many streams")]
    [InlineData("no duration")]
    public void Files_outside_the_limits_are_rejected(string problem)
    {
        var json = problem switch
        {
            "no picture" => Json("mp3", "3", Audio),
            "too many pixels" => Json("png_pipe", "N/A", """{ "codec_type": "video", "width": 30000, "height": 30000 }"""),
            "too long" => Json("matroska,webm", "601", Video),
            "too many streams" => Json("matroska,webm", "10", Video, Audio, Audio, Audio, Audio),
            _ => Json("matroska,webm", "N/A", Video),
        };
        Assert.Throws<MediaRejectedException>(() => Probe.Interpret(json));
    }
}
