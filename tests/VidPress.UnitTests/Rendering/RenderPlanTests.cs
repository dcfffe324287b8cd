using VidPress.Core.Rendering;
using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Rendering;

public class RenderPlanTests
{
    private static readonly string[] Safe = ["-protocol_whitelist", "file"];

    private static TimelineDocument Timeline(params TimelineClip[] clips) => new()
    {
        AspectRatio = "16:9", Resolution = "720p", Width = 1280, Height = 720, FrameRate = 30, Language = "en", NarrationKey = "n.wav",
        DurationSeconds = clips[^1].End, Clips = clips, Subtitles = [],
    };

    private static TimelineClip Clip(double start, double end, ClipKind kind, string text = "x") => new()
    {
        Text = text, Start = start, End = end, Kind = kind, SourceStart = 2.5,
        Motion = kind == ClipKind.Still ? new KenBurns(1, 1.15, .5, .5, .5, .45) : null,
    };

    private static RenderPlan Plan(TimelineDocument timeline, params ClipSource?[] sources) =>
        RenderPlan.CreateSegment(timeline, new RenderTarget(1280, 720), sources, 0, timeline.Clips.Count, "/scratch/subs.ass", "/scratch/filter.txt", "/scratch/out.mp4", Safe);

    [Fact]
    public void Clip_frame_counts_add_up_to_the_whole_video()
    {
        var plan = Plan(Timeline(Clip(0, 1.234, ClipKind.VideoShot), Clip(1.234, 2.5, ClipKind.Still), Clip(2.5, 4.01, ClipKind.TitleCard)),
            new ClipSource("/media/a.mp4", false), new ClipSource("/media/b.png", true), null);
        Assert.Equal((int)Math.Round(4.01 * 30), plan.TotalFrames);
        Assert.Contains("trim=end_frame=37", plan.FilterScript);   // round(1.234*30) - 0
        Assert.Contains("d=38", plan.FilterScript);                // round(2.5*30) - round(1.234*30)
        Assert.Contains("concat=n=3:v=1:a=0", plan.FilterScript);
        var t = plan.Arguments.ToList();
        Assert.Equal("120", t[t.IndexOf("-frames:v") + 1]);
        Assert.Contains("-an", t);
    }

    [Fact]
    public void Library_inputs_carry_the_safe_input_options_and_are_seeked()
    {
        var plan = Plan(Timeline(Clip(0, 2, ClipKind.VideoShot)), new ClipSource("/media/a.mp4", false));
        var args = plan.Arguments.ToList();
        var input = args.IndexOf("/media/a.mp4");
        Assert.Equal("-i", args[input - 1]);
        Assert.Equal("2.5", args[args.LastIndexOf("-ss", input) + 1]);
        Assert.Equal("file", args[args.LastIndexOf("-protocol_whitelist", input) + 1]);
        Assert.Contains("libx264", args);
    }

    [Fact]
    public void Sentence_text_never_reaches_the_filtergraph_or_the_command_line()
    {
        const string text = "Evil ' : , % { } \\ [x] ;drawtext=text=pwned";
        var plan = Plan(Timeline(Clip(0, 2, ClipKind.TitleCard, text), Clip(2, 3, ClipKind.Still, text)), null, new ClipSource("/media/b.png", true));
        Assert.DoesNotContain("pwned", plan.FilterScript);
        Assert.DoesNotContain(plan.Arguments, a => a.Contains("pwned"));
    }

    [Fact]
    public void Unsafe_subtitle_path_is_refused()
    {
        Assert.Throws<ArgumentException>(() => RenderPlan.CreateSegment(Timeline(Clip(0, 1, ClipKind.TitleCard)), new RenderTarget(1280, 720), [null], 0, 1,
            "/tmp/it's:here.ass", "/f.txt", "/o.mp4", Safe));
        Assert.Throws<ArgumentException>(() => RenderPlan.SegmentList(["/tmp/a.mp4", "/tmp/b'\nfile '/etc/passwd"]));
    }

    [Fact]
    public void A_later_segment_shifts_subtitles_to_its_place_in_the_video()
    {
        var timeline = Timeline(Clip(0, 1.5, ClipKind.TitleCard), Clip(1.5, 3, ClipKind.TitleCard), Clip(3, 4, ClipKind.TitleCard));
        var plan = RenderPlan.CreateSegment(timeline, new RenderTarget(1280, 720), [null, null, null], 1, 2, "/s.ass", "/f.txt", "/o.mp4", Safe);
        Assert.Equal(75, plan.TotalFrames);
        Assert.Contains("concat=n=2:v=1:a=0[joined];[joined]setpts=PTS+1.5/TB,subtitles=filename=/s.ass,setpts=PTS-STARTPTS", plan.FilterScript);
    }

    [Fact]
    public void Crossfades_are_centred_on_the_cut_and_keep_the_length()
    {
        var clips = new[] { Clip(0, 2, ClipKind.TitleCard), Clip(2, 4, ClipKind.TitleCard) with { TransitionIn = Transition.Crossfade }, Clip(4, 5, ClipKind.TitleCard) };
        var timeline = Timeline(clips) with { CrossfadeSeconds = 0.5 };
        var plan = RenderPlan.CreateSegment(timeline, new RenderTarget(1280, 720), [null, null, null], 0, 3, "/s.ass", "/f.txt", "/o.mp4", Safe);
        // Half a fade is 8 frames (0.5 s × 30 / 2, rounded): clip 0 runs 8 frames long, clip 1 starts 8 early.
        Assert.Contains("[0:v]trim=end_frame=68,", plan.FilterScript);
        Assert.Contains("[1:v]trim=end_frame=68,", plan.FilterScript);
        Assert.Contains("[v0][v1]xfade=transition=fade:duration=0.533333:offset=1.733333[j1];", plan.FilterScript);
        Assert.Contains("[j1][v2]concat=n=2:v=1:a=0[j2];", plan.FilterScript);
        Assert.Equal(150, plan.TotalFrames);
    }

    [Fact]
    public void Segments_never_split_a_crossfade()
    {
        var clips = Enumerable.Range(0, 6).Select(i => Clip(i * 2, i * 2 + 2, ClipKind.TitleCard) with { TransitionIn = i == 3 ? Transition.Crossfade : Transition.Cut }).ToArray();
        var parts = RenderPlan.Segments(Timeline(clips), 6);
        Assert.DoesNotContain(parts, p => p.First == 3);
        Assert.Equal(6, parts.Sum(p => p.Count));
    }

    [Fact]
    public void Letterbox_pads_instead_of_cropping()
    {
        var timeline = Timeline(Clip(0, 2, ClipKind.VideoShot));
        var plan = RenderPlan.CreateSegment(timeline, new RenderTarget(720, 1280, FrameFit.Letterbox), [new ClipSource("/a.mp4", false)], 0, 1, "/s.ass", "/f.txt", "/o.mp4", Safe);
        Assert.Contains("force_original_aspect_ratio=decrease,pad=720:1280", plan.FilterScript);
        Assert.DoesNotContain("crop=", plan.FilterScript);
    }

    [Theory]
    [InlineData(10, 1)]
    [InlineData(10, 2)]
    [InlineData(10, 4)]
    [InlineData(3, 8)]
    [InlineData(60, 3)]
    public void Segments_cover_every_clip_once_in_order_with_balanced_frames(int clips, int segments)
    {
        var rng = new Random(clips * 31 + segments);
        var t = 0.0;
        var list = Enumerable.Range(0, clips).Select(_ => { var start = t; t += 1 + rng.NextDouble() * 4; return Clip(start, t, ClipKind.TitleCard); }).ToArray();
        var timeline = Timeline(list);
        var parts = RenderPlan.Segments(timeline, segments);
        Assert.Equal(Math.Min(clips, segments), parts.Count);
        Assert.Equal(0, parts[0].First);
        for (var i = 1; i < parts.Count; i++) Assert.Equal(parts[i - 1].First + parts[i - 1].Count, parts[i].First);
        Assert.Equal(clips, parts.Sum(p => p.Count));
        var frames = parts.Select(p => list.Skip(p.First).Take(p.Count).Sum(c => RenderPlan.FramesOf(c, 30))).ToList();
        Assert.True(frames.Max() - frames.Min() <= 2 * 5 * 30, string.Join(",", frames));
    }

    [Fact]
    public void Ken_burns_scales_the_still_once_to_a_quarter_above_the_output()
    {
        var filter = RenderPlan.KenBurnsFilter(new KenBurns(1, 1.15, .5, .5, .5, .45), 1280, 720, 30, 90);
        Assert.StartsWith("scale=1600:900:force_original_aspect_ratio=increase,crop=1600:900,format=yuv420p,zoompan=", filter);
        Assert.Contains(":d=90:s=1280x720:fps=30", filter);
    }
}
