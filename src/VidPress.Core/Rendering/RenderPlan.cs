using System.Globalization;
using System.Text;
using VidPress.Core.Media;
using VidPress.Core.Timeline;

namespace VidPress.Core.Rendering;

/// <summary>
/// A media file a clip draws from, already resolved to a local path, and how its picture is turned upright
/// (<see cref="PictureOrientation"/>; null: as ffmpeg turns it).
/// </summary>
public sealed record ClipSource(string Path, bool IsStill, int? Orientation = null)
{
    /// <summary>The filters that start the clip's chain: the picture turned upright, then a comma; empty when nothing is turned.</summary>
    internal string UprightFilter => PictureOrientation.Filter(Orientation) is { } f ? f + "," : "";
}

/// <summary>How a source that doesn't match the frame's shape is fitted: cropped to fill, or letterboxed.</summary>
public enum FrameFit { Crop, Letterbox }

/// <summary>The frame a render draws: size and how sources are fitted into it.</summary>
public sealed record RenderTarget(int Width, int Height, FrameFit Fit = FrameFit.Crop);

/// <summary>
/// One ffmpeg run that draws a run of consecutive clips of a timeline as silent H.264: one input per
/// clip, each normalised to the frame size and rate and cut to an exact frame count, joined, with the
/// subtitles burned in at the segment's place in the video. The filtergraph holds only numbers and
/// service-made paths; caller text reaches ffmpeg only through the subtitle file.
/// </summary>
public sealed record RenderPlan(IReadOnlyList<string> Arguments, string FilterScript, int TotalFrames)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>Frames of a clip: the difference of its frame-rounded edges, so clips always add up to the whole.</summary>
    public static int FramesOf(TimelineClip clip, int fps) => (int)Math.Round(clip.End * fps) - (int)Math.Round(clip.Start * fps);

    public static RenderPlan CreateSegment(
        TimelineDocument timeline,
        RenderTarget target,
        IReadOnlyList<ClipSource?> sources,
        int firstClip,
        int clipCount,
        string subtitlePath,
        string filterScriptPath,
        string outputPath,
        IReadOnlyList<string> safeInputOptions,
        string preset = "veryfast")
    {
        if (sources.Count != timeline.Clips.Count) throw new ArgumentException("One source per clip is needed.", nameof(sources));
        if (firstClip < 0 || clipCount < 1 || firstClip + clipCount > timeline.Clips.Count) throw new ArgumentOutOfRangeException(nameof(clipCount));
        EnsureFilterSafe(subtitlePath);
        int w = target.Width, h = target.Height, fps = timeline.FrameRate;
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:2" };
        var graph = new StringBuilder();
        var frames = 0;
        var half = CrossfadeHalfFrames(timeline);
        for (var n = 0; n < clipCount; n++)
        {
            var index = firstClip + n;
            var clip = timeline.Clips[index];
            var source = sources[index];
            var clipFrames = FramesOf(clip, fps);
            frames += clipFrames;
            // A crossfade borrows half its length from each side: the clip before runs on past the cut
            // and this one starts before it, so the mix is centred on the cut and no time is lost.
            var pre = n > 0 && FadesIn(timeline, index) ? half : 0;
            var post = n < clipCount - 1 && FadesIn(timeline, index + 1) ? half : 0;
            var drawFrames = pre + clipFrames + post;
            var seconds = drawFrames / (double)fps;
            if (clip.Kind == ClipKind.TitleCard || source is null)
            {
                args.AddRange(["-f", "lavfi", "-i", F($"color=c=0x14213d:s={w}x{h}:r={fps}:d={seconds + 1:0.###}")]);
                graph.Append(F($"[{n}:v]trim=end_frame={drawFrames},setpts=PTS-STARTPTS,setsar=1,format=yuv420p,settb=1/{fps}[v{n}];"));
            }
            else if (source.IsStill)
            {
                args.AddRange(safeInputOptions);
                args.AddRange(PictureOrientation.InputOptions(source.Orientation));
                args.AddRange(["-i", source.Path]);
                graph.Append(F($"[{n}:v]")).Append(source.UprightFilter).Append(target.Fit == FrameFit.Letterbox ? Letterbox(w, h) + "," : "")
                    .Append(KenBurnsFilter(clip.Motion ?? new KenBurns(1, 1, .5, .5, .5, .5), w, h, fps, drawFrames)).Append(F($",settb=1/{fps}[v{n}];"));
            }
            else
            {
                // Pre-roll comes from the source where it has footage before the segment, else the first frame holds.
                var earlier = Math.Min(pre / (double)fps, clip.SourceStart);
                var held = pre - (int)Math.Round(earlier * fps);
                args.AddRange(safeInputOptions);
                args.AddRange(PictureOrientation.InputOptions(source.Orientation));
                args.AddRange(["-ss", F($"{clip.SourceStart - earlier:0.###}"), "-t", F($"{seconds + 0.5:0.###}"), "-i", source.Path]);
                // A shot shorter than its slot holds its last frame rather than leaving a gap.
                graph.Append(F($"[{n}:v]")).Append(source.UprightFilter).Append(target.Fit == FrameFit.Letterbox ? Letterbox(w, h) : Fill(w, h))
                    .Append(F($",fps={fps},"))
                    .Append(held > 0 ? F($"tpad=start_mode=clone:start={held},") : "")
                    .Append(F($"tpad=stop_mode=clone:stop_duration={seconds:0.###},trim=end_frame={drawFrames},setpts=PTS-STARTPTS,setsar=1,format=yuv420p,settb=1/{fps}[v{n}];"));
            }
        }
        var joined = Join(timeline, firstClip, clipCount, half, fps, graph);
        // Subtitles are timed for the whole video: shift the segment to its place, burn, shift back.
        var offset = Math.Round(timeline.Clips[firstClip].Start * fps) / fps;
        graph.Append(F($"[{joined}]setpts=PTS+{offset:0.######}/TB,subtitles=filename={subtitlePath},setpts=PTS-STARTPTS[vout]"));

        args.AddRange(["-filter_complex_script", filterScriptPath, "-map", "[vout]", "-an",
            "-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p", "-r", F($"{fps}"), "-frames:v", F($"{frames}"), outputPath]);
        return new RenderPlan(args, graph.ToString(), frames);
    }

    /// <summary>
    /// Joins the drawn clips in order: one concat when all are cuts, else a chain in which each
    /// crossfade is an xfade starting half a fade before the cut. Returns the label of the result.
    /// </summary>
    private static string Join(TimelineDocument timeline, int firstClip, int clipCount, int half, int fps, StringBuilder graph)
    {
        if (Enumerable.Range(firstClip + 1, clipCount - 1).All(i => !FadesIn(timeline, i)))
        {
            for (var n = 0; n < clipCount; n++) graph.Append(F($"[v{n}]"));
            graph.Append(F($"concat=n={clipCount}:v=1:a=0[joined];"));
            return "joined";
        }
        var current = "v0";
        var cut = 0;
        for (var n = 1; n < clipCount; n++)
        {
            cut += FramesOf(timeline.Clips[firstClip + n - 1], fps);
            var next = F($"j{n}");
            graph.Append(FadesIn(timeline, firstClip + n)
                ? F($"[{current}][v{n}]xfade=transition=fade:duration={2 * half / (double)fps:0.######}:offset={(cut - half) / (double)fps:0.######}[{next}];")
                : F($"[{current}][v{n}]concat=n=2:v=1:a=0[{next}];"));
            current = next;
        }
        return current;
    }

    private static bool FadesIn(TimelineDocument timeline, int index) =>
        index > 0 && index < timeline.Clips.Count && timeline.Clips[index].TransitionIn == Transition.Crossfade;

    /// <summary>Half a crossfade in frames, never more than half of the shortest clip so fades don't overlap.</summary>
    internal static int CrossfadeHalfFrames(TimelineDocument timeline)
    {
        var shortest = timeline.Clips.Min(c => FramesOf(c, timeline.FrameRate));
        return Math.Max(1, Math.Min((int)Math.Round(timeline.CrossfadeSeconds * timeline.FrameRate / 2), shortest / 2));
    }

    /// <summary>Joins the silent segments by stream copy and adds the soundtrack; no re-encoding.</summary>
    public static IReadOnlyList<string> JoinArguments(string segmentListPath, string soundtrackPath, double durationSeconds, string outputPath) =>
        ["-hide_banner", "-nostdin", "-y", "-f", "concat", "-safe", "0", "-i", segmentListPath, "-i", soundtrackPath,
         "-map", "0:v:0", "-map", "1:a:0", "-c", "copy", "-t", F($"{durationSeconds:0.######}"), "-movflags", "+faststart", outputPath];

    /// <summary>The concat demuxer's list of segment files (service-made paths only).</summary>
    public static string SegmentList(IEnumerable<string> segmentPaths)
    {
        var list = new StringBuilder("ffconcat version 1.0\n");
        foreach (var path in segmentPaths)
        {
            EnsureFilterSafe(path);
            list.Append("file '").Append(path).Append("'\n");
        }
        return list.ToString();
    }

    /// <summary>
    /// Splits the clips into up to <paramref name="segments"/> runs of consecutive clips with about
    /// the same number of frames each, so parallel ffmpeg runs finish together.
    /// </summary>
    public static IReadOnlyList<(int First, int Count)> Segments(TimelineDocument timeline, int segments)
    {
        var clips = timeline.Clips;
        segments = Math.Clamp(segments, 1, clips.Count);
        var total = clips.Sum(c => FramesOf(c, timeline.FrameRate));
        var result = new List<(int, int)>();
        int first = 0, frames = 0;
        for (var i = 0; i < clips.Count; i++)
        {
            frames += FramesOf(clips[i], timeline.FrameRate);
            var remainingClips = clips.Count - i - 1;
            var remainingSegments = segments - result.Count - 1;
            var due = (result.Count + 1) * (double)total / segments;
            // A crossfade needs both of its clips in one run, so segments only end at cuts.
            var cutAfter = i == clips.Count - 1 || clips[i + 1].TransitionIn == Transition.Cut;
            if (i == clips.Count - 1 || cutAfter && remainingSegments > 0 && (frames >= due && remainingClips >= remainingSegments || remainingClips == remainingSegments))
            {
                result.Add((first, i - first + 1));
                first = i + 1;
            }
        }
        return result;
    }

    private static string Fill(int w, int h) => F($"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}");

    private static string Letterbox(int w, int h) =>
        F($"scale={w}:{h}:force_original_aspect_ratio=decrease,pad={w}:{h}:(ow-iw)/2:(oh-ih)/2:color=black");

    /// <summary>
    /// Ken Burns on a still: the picture is decoded once and scaled to 1.25× the output (never more),
    /// then zoompan moves a window over it, one output frame per step.
    /// </summary>
    internal static string KenBurnsFilter(KenBurns m, int w, int h, int fps, int frames)
    {
        int sw = Even(w * 1.25), sh = Even(h * 1.25);
        var last = Math.Max(1, frames - 1);
        var zoom = F($"({m.StartZoom:0.####}+({m.EndZoom - m.StartZoom:0.####})*on/{last})");
        var cx = F($"({m.StartCenterX:0.####}+({m.EndCenterX - m.StartCenterX:0.####})*on/{last})");
        var cy = F($"({m.StartCenterY:0.####}+({m.EndCenterY - m.StartCenterY:0.####})*on/{last})");
        // Converted to the output's pixel format once, on the still, so zoompan scales planar YUV and no
        // frame needs converting afterwards.
        return F($"scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},format=yuv420p,")
            + $"zoompan=z='{zoom}':x='max(0,min(iw-iw/zoom,iw*{cx}-iw/zoom/2))':y='max(0,min(ih-ih/zoom,ih*{cy}-ih/zoom/2))'"
            + F($":d={frames}:s={w}x{h}:fps={fps},trim=end_frame={frames},setpts=PTS-STARTPTS,setsar=1,format=yuv420p");
    }

    private static int Even(double v) => (int)Math.Round(v / 2) * 2;

    // Paths in a filtergraph or list are only ever ones the service made; anything else is refused outright.
    private static void EnsureFilterSafe(string path)
    {
        if (!path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '.'))
            throw new ArgumentException($"Path '{path}' cannot be used in a filtergraph.", nameof(path));
    }

    private static string F(FormattableString s) => s.ToString(C);
}
