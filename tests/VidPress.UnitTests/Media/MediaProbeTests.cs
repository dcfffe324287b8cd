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
    public void A_phone_video_turned_by_its_display_matrix_has_its_upright_size()
    {
        const string matrix = @"\n00000000:            0       65536           0\n00000001:       -65536           0           0\n00000002:            0           0  1073741824\n";
        // The JSON escapes of ffprobe's text: "\n" is two characters in the document, a new line once parsed.
        const string portrait = "{ \"codec_type\": \"video\", \"width\": 1920, \"height\": 1080, \"avg_frame_rate\": \"30/1\", " +
            "\"side_data_list\": [{ \"side_data_type\": \"Display Matrix\", \"displaymatrix\": \"" + matrix + "\", \"rotation\": -90 }] }";
        var info = Probe.Interpret(Json("mov,mp4,m4a,3gp,3g2,mj2", "3", portrait));
        Assert.Equal((1080, 1920, 6), (info.Width, info.Height, info.Orientation));
        Assert.Equal(1, Probe.Interpret(Json("mov,mp4,m4a,3gp,3g2,mj2", "3", Video)).Orientation);
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

    [Theory]
    [InlineData("""{ "streams": [{ "codec_type": "video", "width": 64, "height": 64 }, { "index": 1 }], "format": { "format_name": "matroska,webm", "duration": "3" } }""")]
    [InlineData("""{ "streams": [{ "codec_type": "video", "width": "64", "height": 64 }], "format": { "format_name": "matroska,webm", "duration": "3" } }""")]
    [InlineData("""{ "streams": [{ "codec_type": "video", "width": 64, "height": 64 }], "format": { "duration": "3" } }""")]
    [InlineData("""{ "streams": [{ "codec_type": 7, "width": 64, "height": 64 }], "format": { "format_name": "matroska,webm", "duration": "3" } }""")]
    [InlineData("""{ "streams": [3], "format": { "format_name": "matroska,webm", "duration": "3" } }""")]
    [InlineData("""{ "streams": {}, "format": { "format_name": "matroska,webm" } }""")]
    [InlineData("""[1, 2, 3]""")]
    [InlineData("""{ "streams": [""")]
    public void A_description_with_a_field_missing_or_mistyped_is_a_rejected_file_not_an_exception(string json)
    {
        Assert.Throws<MediaRejectedException>(() => Probe.Interpret(json));
    }

    [Fact]
    public void A_stream_without_codec_type_is_named_in_the_reason()
    {
        var error = Assert.Throws<MediaRejectedException>(() => Probe.Interpret(Json("matroska,webm", "3", Video, """{ "index": 1 }""")));
        Assert.Contains("Stream 1", error.Message);
        Assert.Contains("no codec type", error.Message);
    }

    [Fact]
    public void A_music_bed_with_a_stream_without_codec_type_is_rejected()
    {
        Assert.Equal(3, Probe.InterpretAudio(Json("flac", "3", Audio)));
        var error = Assert.Throws<MediaRejectedException>(() => Probe.InterpretAudio(Json("flac", "3", Audio, """{ "index": 1 }""")));
        Assert.Contains("no codec type", error.Message);
        Assert.Throws<MediaRejectedException>(() => Probe.InterpretAudio(Json("flac", "3", Video)));
    }

    [Fact]
    public void Progress_report_gives_the_last_frame_count_and_time()
    {
        var (frames, seconds) = MediaProbe.ParseProgress("frame=10\nout_time_us=N/A\nprogress=continue\nframe=3600\nout_time_us=3599001000\nprogress=end\n");
        Assert.Equal(3600, frames);
        Assert.Equal(3599.001, seconds, 3);
    }

    [Fact]
    public void Decode_limit_is_the_declared_duration_and_a_little()
    {
        Assert.Equal(65, MediaOptions.DecodeLimitSeconds(60), 6);
        Assert.Equal(65 * 240, new MediaOptions { MaxFrameRate = 240 }.MaxFramesFor(60));
    }
}
