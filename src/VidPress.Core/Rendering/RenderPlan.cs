using System.Globalization;
using System.Text;
using VidPress.Core.Timeline;

namespace VidPress.Core.Rendering;

/// <summary>A media file a clip draws from, already resolved to a local path.</summary>
public sealed record ClipSource(string Path, bool IsStill);

/// <summary>
/// The single ffmpeg run that draws a timeline: one input per clip, each normalised to the output
/// size and frame rate and cut to an exact frame count, joined, with subtitles burned in and the
/// narration as the sound. The filtergraph holds only numbers and service-made paths.
/// </summary>
public sealed record RenderPlan(IReadOnlyList<string> Arguments, string FilterScript, int TotalFrames)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static RenderPlan Create(
        TimelineDocument timeline,
        IReadOnlyList<ClipSource?> sources,
        string narrationPath,
        string subtitlePath,
        string filterScriptPath,
        string outputPath,
        IReadOnlyList<string> safeInputOptions,
        string preset = "veryfast")
    {
        if (sources.Count != timeline.Clips.Count) throw new ArgumentException("One source per clip is needed.", nameof(sources));
        EnsureFilterSafe(subtitlePath);
        int w = timeline.Width, h = timeline.Height, fps = timeline.FrameRate;
        var args = new List<string> { "-hide_banner", "-nostdin", "-y", "-nostats", "-progress", "pipe:2" };
        var graph = new StringBuilder();
        var totalFrames = 0;
        for (var i = 0; i < timeline.Clips.Count; i++)
        {
            var clip = timeline.Clips[i];
            var source = sources[i];
            var frames = (int)Math.Round(clip.End * fps) - (int)Math.Round(clip.Start * fps);
            totalFrames += frames;
            var seconds = frames / (double)fps;
            if (clip.Kind == ClipKind.TitleCard || source is null)
            {
                args.AddRange(["-f", "lavfi", "-i", F($"color=c=0x14213d:s={w}x{h}:r={fps}:d={seconds + 1:0.###}")]);
                graph.Append(F($"[{i}:v]trim=end_frame={frames},setpts=PTS-STARTPTS,setsar=1,format=yuv420p[v{i}];"));
            }
            else if (source.IsStill)
            {
                args.AddRange(safeInputOptions);
                args.AddRange(["-i", source.Path]);
                graph.Append(F($"[{i}:v]")).Append(KenBurnsFilter(clip.Motion ?? new KenBurns(1, 1, .5, .5, .5, .5), w, h, fps, frames)).Append(F($"[v{i}];"));
            }
            else
            {
                args.AddRange(safeInputOptions);
                args.AddRange(["-ss", F($"{clip.SourceStart:0.###}"), "-t", F($"{seconds + 0.5:0.###}"), "-i", source.Path]);
                // A shot shorter than its sentence holds its last frame rather than leaving a gap.
                graph.Append(F($"[{i}:v]scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},fps={fps},"))
                    .Append(F($"tpad=stop_mode=clone:stop_duration={seconds:0.###},trim=end_frame={frames},setpts=PTS-STARTPTS,setsar=1,format=yuv420p[v{i}];"));
            }
        }
        var narrationInput = timeline.Clips.Count;
        args.AddRange(["-i", narrationPath]);
        for (var i = 0; i < timeline.Clips.Count; i++) graph.Append(F($"[v{i}]"));
        graph.Append(F($"concat=n={timeline.Clips.Count}:v=1:a=0[joined];"));
        graph.Append(F($"[joined]subtitles=filename={subtitlePath}[vout];"));
        graph.Append(F($"[{narrationInput}:a]aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo,apad[aout]"));

        var duration = totalFrames / (double)fps;
        args.AddRange(["-filter_complex_script", filterScriptPath, "-map", "[vout]", "-map", "[aout]",
            "-c:v", "libx264", "-preset", preset, "-pix_fmt", "yuv420p", "-r", F($"{fps}"),
            "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
            "-t", F($"{duration:0.######}"), "-movflags", "+faststart", outputPath]);
        return new RenderPlan(args, graph.ToString(), totalFrames);
    }

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
        return F($"scale={sw}:{sh}:force_original_aspect_ratio=increase,crop={sw}:{sh},")
            + $"zoompan=z='{zoom}':x='max(0,min(iw-iw/zoom,iw*{cx}-iw/zoom/2))':y='max(0,min(ih-ih/zoom,ih*{cy}-ih/zoom/2))'"
            + F($":d={frames}:s={w}x{h}:fps={fps},trim=end_frame={frames},setpts=PTS-STARTPTS,setsar=1,format=yuv420p");
    }

    private static int Even(double v) => (int)Math.Round(v / 2) * 2;

    // Paths in a filtergraph are only ever ones the service made; anything else is refused outright.
    private static void EnsureFilterSafe(string path)
    {
        if (!path.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '_' or '-' or '.'))
            throw new ArgumentException($"Path '{path}' cannot be used in a filtergraph.", nameof(path));
    }

    private static string F(FormattableString s) => s.ToString(C);
}
