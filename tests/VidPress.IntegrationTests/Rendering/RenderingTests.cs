using VidPress.Core.Embeddings;
using VidPress.Core.Media;
using VidPress.Core.Rendering;
using VidPress.Core.Timeline;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Rendering;

public sealed class RenderingTests(RenderingFixture media) : IClassFixture<RenderingFixture>
{
    private async Task<string> RenderAsync(TimelineDocument timeline, RenderTarget target, IReadOnlyList<ClipSource?> sources, BackgroundMusic? music = null, string preset = "veryfast", int segments = 0)
    {
        var scratch = new ScratchFolder(media.Folder, "render");
        var rendered = await media.Renderer(preset, segments).RenderAsync(timeline, target, sources, media.Narration, music, scratch, null, CancellationToken.None);
        var kept = Path.Combine(media.Folder, Guid.NewGuid().ToString("N") + ".mp4");
        File.Move(rendered.VideoPath, kept);
        Assert.True(new FileInfo(rendered.PosterPath).Length > 1000, "poster written");
        scratch.Dispose();
        return kept;
    }

    [Theory]
    [InlineData("16:9", "720p")]
    [InlineData("16:9", "1080p")]
    [InlineData("9:16", "720p")]
    [InlineData("9:16", "1080p")]
    [InlineData("1:1", "720p")]
    [InlineData("1:1", "1080p")]
    public async Task Each_format_has_its_size_and_plays(string aspect, string resolution)
    {
        var format = VideoFormat.Create(aspect, resolution);
        var timeline = RenderingFixture.Timeline(format.Width, format.Height, [RenderingFixture.Shot(0, 1.2), RenderingFixture.StillClip(1.2, 2.4), RenderingFixture.Card(2.4, 3)]);
        var path = await RenderAsync(timeline, new RenderTarget(format.Width, format.Height), [new ClipSource(media.Clip, false), new ClipSource(media.Still, true), null], preset: "ultrafast");
        var probe = await Media.ProbeAsync(path);
        var video = Media.Stream(probe, "video");
        Assert.Equal((format.Width, format.Height), (video.GetProperty("width").GetInt32(), video.GetProperty("height").GetInt32()));
        Assert.Equal("h264", video.GetProperty("codec_name").GetString());
        Assert.Equal("90", video.GetProperty("nb_frames").GetString());
        var audio = Media.Stream(probe, "audio");
        Assert.Equal(("aac", "48000", 2), (audio.GetProperty("codec_name").GetString(), audio.GetProperty("sample_rate").GetString(), audio.GetProperty("channels").GetInt32()));
        // Plays: every packet decodes without an error.
        var decode = await ToolProcess.RunAsync("ffmpeg", ["-v", "error", "-i", path, "-f", "null", "-"], TimeSpan.FromMinutes(1));
        Assert.Equal(0, decode.ExitCode);
        Assert.Equal("", decode.StandardError.Trim());
    }

    [Fact]
    public async Task Shots_are_cropped_to_fill_the_frame_unless_letterboxing_is_asked_for()
    {
        var timeline = RenderingFixture.Timeline(720, 1280, [RenderingFixture.Shot(0, 1)]);
        var filled = await RenderAsync(timeline, new RenderTarget(720, 1280), [new ClipSource(media.Clip, false)], preset: "ultrafast");
        var boxed = await RenderAsync(timeline, new RenderTarget(720, 1280, FrameFit.Letterbox), [new ClipSource(media.Clip, false)], preset: "ultrafast");
        var decoder = new FrameDecoder();
        var fill = await decoder.ReadFrameAsync(filled, TimeSpan.FromSeconds(0.5));
        var box = await decoder.ReadFrameAsync(boxed, TimeSpan.FromSeconds(0.5));
        static double Brightness(RgbImage image, int y) => Enumerable.Range(0, image.Width).Average(x => { var (r, g, b) = image[x, y]; return (r + g + b) / 3.0; });
        // testsrc2 is bright everywhere; letterbox bars are black above and below the picture.
        Assert.True(Brightness(fill, 50) > 40, "cropped frame is picture at the top");
        Assert.True(Brightness(box, 50) < 5, "letterboxed frame has a black bar at the top");
        Assert.True(Brightness(box, 640) > 40, "letterboxed frame has picture in the middle");
    }

    [Fact]
    public async Task A_crossfade_blends_the_two_clips_around_the_cut_without_changing_the_length()
    {
        var timeline = RenderingFixture.Timeline(640, 360, [RenderingFixture.Card(0, 2), RenderingFixture.StillClip(2, 4) with { TransitionIn = Transition.Crossfade }]) with { CrossfadeSeconds = 0.6 };
        var path = await RenderAsync(timeline, new RenderTarget(640, 360), [null, new ClipSource(media.Still, true)], preset: "ultrafast");
        Assert.Equal("120", Media.Stream(await Media.ProbeAsync(path), "video").GetProperty("nb_frames").GetString());
        var decoder = new FrameDecoder();
        async Task<(byte R, byte G, byte B)> CornerAt(double seconds) => (await decoder.ReadFrameAsync(path, TimeSpan.FromSeconds(seconds)))[10, 10];
        var card = await CornerAt(1.2);
        var blend = await CornerAt(2.0);
        var still = await CornerAt(3.0);
        static int Distance((byte R, byte G, byte B) a, (byte R, byte G, byte B) b) => Math.Abs(a.R - b.R) + Math.Abs(a.G - b.G) + Math.Abs(a.B - b.B);
        Assert.True(Distance(card, still) > 60, $"card {card} and still {still} differ");
        Assert.True(Distance(blend, card) > 20 && Distance(blend, still) > 20, $"at the cut {blend} is a mix of {card} and {still}");
    }

    [Fact]
    public async Task Subtitles_are_on_screen_at_their_cue_times()
    {
        var timeline = RenderingFixture.Timeline(1280, 720, [RenderingFixture.Card(0, 2), RenderingFixture.Card(2, 4)],
            [new SubtitleCue(0.4, 1.6, "The council met on Tuesday"), new SubtitleCue(2.6, 3.6, "Residents asked questions")]);
        var path = await RenderAsync(timeline, new RenderTarget(1280, 720), [null, null], preset: "ultrafast");
        var decoder = new FrameDecoder();
        async Task<int> InkAt(double seconds)
        {
            var frame = await decoder.ReadFrameAsync(path, TimeSpan.FromSeconds(seconds));
            var ink = 0;
            for (var y = frame.Height * 3 / 4; y < frame.Height; y++)
                for (var x = 0; x < frame.Width; x++)
                    if (frame[x, y] is { R: > 220, G: > 220, B: > 220 }) ink++;
            return ink;
        }
        Assert.True(await InkAt(1.0) > 500, "first cue on screen");
        Assert.True(await InkAt(2.1) < 20, "nothing between cues");
        Assert.True(await InkAt(3.0) > 500, "second cue on screen");
        Assert.True(await InkAt(3.9) < 20, "nothing after the last cue");
    }

    [Fact]
    public async Task Subtitles_left_unburned_are_not_drawn_while_the_title_card_still_is()
    {
        var timeline = RenderingFixture.Timeline(1280, 720, [RenderingFixture.Card(0, 2, "Harbour plan")], [new SubtitleCue(0.4, 1.6, "The council met on Tuesday")]);
        async Task<string> DrawAsync(bool burn)
        {
            using var scratch = new ScratchFolder(media.Folder, "formats-" + burn);
            var input = new RenderInput([null], media.Narration, null, FrameFit.Crop, [VideoFormat.Create("16:9", "720p")], BurnSubtitles: burn);
            var rendered = await media.Renderer("ultrafast").RenderFormatsAsync(timeline, input, scratch, null, CancellationToken.None);
            var kept = Path.Combine(media.Folder, Guid.NewGuid().ToString("N") + ".mp4");
            File.Move(rendered.Single().Rendered.VideoPath, kept);
            return kept;
        }
        var burned = await DrawAsync(true);
        var unburned = await DrawAsync(false);
        Assert.True(await Delivery.Ink.BottomQuarterAsync(burned, 1.0) > 500, "burned: the cue is on screen");
        Assert.True(await Delivery.Ink.BottomQuarterAsync(unburned, 1.0) < 20, "un-burned: no cue on screen");
        // The card's words, in the middle of the frame, are drawn either way.
        var frame = await new FrameDecoder().ReadFrameAsync(unburned, TimeSpan.FromSeconds(1.0));
        var cardInk = 0;
        for (var y = frame.Height / 3; y < frame.Height * 2 / 3; y++)
            for (var x = 0; x < frame.Width; x++)
                if (frame[x, y] is { R: > 220, G: > 220, B: > 220 }) cardInk++;
        Assert.True(cardInk > 500, $"title card drawn ({cardInk})");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Loudness_is_normalised_to_minus_16_lufs_with_true_peak_under_minus_1(bool withMusic)
    {
        var duration = Math.Floor(media.NarrationSeconds) + 1;
        var timeline = RenderingFixture.Timeline(640, 360, [RenderingFixture.Card(0, duration)]);
        var path = await RenderAsync(timeline, new RenderTarget(640, 360), [null], withMusic ? new BackgroundMusic(media.Music, -6) : null, preset: "ultrafast");
        var (integrated, truePeak) = await RenderingFixture.LoudnessAsync(path);
        Assert.InRange(integrated, -17, -15);
        Assert.True(truePeak <= -1.0, $"true peak {truePeak} dBTP");
    }

    [Fact]
    public async Task A_five_minute_sixty_shot_video_ends_audio_and_video_within_40_ms()
    {
        var clips = new List<TimelineClip>();
        var sources = new List<ClipSource?>();
        for (var i = 0; i < 60; i++)
        {
            // Shot lengths that don't fall on frame edges, so frame rounding is exercised.
            var start = i * 5.013;
            var end = (i + 1) * 5.013;
            switch (i % 3)
            {
                case 0: clips.Add(RenderingFixture.Shot(start, end, i % 7)); sources.Add(new ClipSource(media.Clip, false)); break;
                case 1: clips.Add(RenderingFixture.StillClip(start, end)); sources.Add(new ClipSource(media.Still, true)); break;
                default: clips.Add(RenderingFixture.Card(start, end)); sources.Add(null); break;
            }
        }
        var timeline = RenderingFixture.Timeline(320, 180, clips);
        var path = await RenderAsync(timeline, new RenderTarget(320, 180), sources, preset: "ultrafast", segments: 4);
        var probe = await Media.ProbeAsync(path);
        var video = Media.Stream(probe, "video");
        var audio = Media.Stream(probe, "audio");
        var frames = clips.Sum(c => RenderPlan.FramesOf(c, 30));
        Assert.Equal(frames.ToString(), video.GetProperty("nb_frames").GetString());
        var videoEnd = Media.Seconds(video, "start_time") + Media.Seconds(video, "duration");
        var audioEnd = Media.Seconds(audio, "start_time") + Media.Seconds(audio, "duration");
        Assert.InRange(Math.Abs(videoEnd - audioEnd), 0, 0.040);
        Assert.InRange(Math.Abs(Media.Seconds(video, "start_time") - Media.Seconds(audio, "start_time")), 0, 0.040);
        Assert.InRange(videoEnd, 300.0, 301.5);
    }

    [Fact]
    public async Task Caption_with_filtergraph_and_subtitle_syntax_renders_literally()
    {
        const string caption = "Rate: 5% {up}, it's C:\\data\\new\nsecond; line [x]";
        var timeline = RenderingFixture.Timeline(1280, 720, [RenderingFixture.Card(0, 2, caption)]);
        var path = await RenderAsync(timeline, new RenderTarget(1280, 720), [null], preset: "ultrafast");
        var frame = Path.Combine(media.Folder, "caption.png");
        await Media.FrameAsync(path, 1.0, frame);
        var ocr = await ToolProcess.RunCheckedAsync("tesseract", [frame, "stdout", "--psm", "6"], TimeSpan.FromMinutes(1));
        var text = ocr.StandardOutputText;
        Assert.Contains("5%", text);
        Assert.Contains("{up}", text);
        Assert.Contains("it's", text);
        Assert.Contains("C:\\data\\new", text);
        Assert.Contains("second; line", text);
        // The line break was honoured: the two parts are on separate lines.
        Assert.DoesNotContain("new second", text);
    }

    /// <summary>
    /// A segment whose source cannot be read fails at once; the other segment, a long card at a slow preset, is
    /// stopped then rather than drawn to its end, and the error reported is the failed segment's, not the stop's.
    /// </summary>
    [Fact]
    public async Task A_failed_segment_stops_the_others_and_is_the_error_reported()
    {
        var broken = Path.Combine(media.Folder, "broken.mp4");
        await File.WriteAllTextAsync(broken, "not a video at all");
        var timeline = RenderingFixture.Timeline(1920, 1080, [RenderingFixture.Shot(0, 20), RenderingFixture.Card(20, 40, "A long card")]);
        using var scratch = new ScratchFolder(media.Folder, "render-fail");
        var renderer = media.Renderer("slow", segments: 2);

        var failure = await Assert.ThrowsAsync<ToolFailedException>(() =>
            renderer.RenderAsync(timeline, new RenderTarget(1920, 1080), [new ClipSource(broken, false), null], media.Narration, null, scratch, null, CancellationToken.None));

        Assert.Contains("segment 0 failed", failure.Message);
        // The card's segment was stopped: its file, if started at all, is not a finished video of 20 s.
        var card = Path.Combine(scratch.Path, "segment-001.mp4");
        if (File.Exists(card))
        {
            var probe = await ToolProcess.RunAsync("ffprobe", ["-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", card], TimeSpan.FromMinutes(1));
            Assert.False(probe.ExitCode == 0 && double.TryParse(probe.StandardOutputText.Trim(), System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds > 19,
                $"the card's segment was drawn to its end: {probe.StandardOutputText.Trim()}");
        }
    }
}
