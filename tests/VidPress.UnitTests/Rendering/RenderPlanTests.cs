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
        RenderPlan.Create(timeline, sources, "/media/n.wav", "/scratch/subs.ass", "/scratch/filter.txt", "/scratch/out.mp4", Safe);

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
        // The output is cut to whole frames: 120 frames at 30 fps.
        Assert.Equal("4", t[t.IndexOf("-t", t.IndexOf("-map")) + 1]);
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
        Assert.Contains("+faststart", args);
        Assert.Contains("libx264", args);
        Assert.Contains("aac", args);
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
        Assert.Throws<ArgumentException>(() => RenderPlan.Create(Timeline(Clip(0, 1, ClipKind.TitleCard)), [null], "/n.wav",
            "/tmp/it's:here.ass", "/f.txt", "/o.mp4", Safe));
    }

    [Fact]
    public void Ken_burns_scales_the_still_once_to_a_quarter_above_the_output()
    {
        var filter = RenderPlan.KenBurnsFilter(new KenBurns(1, 1.15, .5, .5, .5, .45), 1280, 720, 30, 90);
        Assert.StartsWith("scale=1600:900:force_original_aspect_ratio=increase,crop=1600:900,zoompan=", filter);
        Assert.Contains(":d=90:s=1280x720:fps=30", filter);
    }
}
