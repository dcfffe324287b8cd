using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Timeline;

namespace VidPress.Core.Rendering;

public sealed record RenderedVideo(string VideoPath, string PosterPath, double DurationSeconds, TimeSpan Elapsed);

/// <summary>One format of a video and the file drawn for it.</summary>
public sealed record RenderedFormat(VideoFormat Format, RenderedVideo Rendered);

/// <summary>
/// What the renderer needs besides the timeline: a source per clip (null for a title card), the narration, the music
/// bed, how shots of another shape fill the frame, the formats to draw, the first the one asked for first, and whether the
/// subtitle cues are drawn into the picture (title cards and overlays always are).
/// </summary>
public sealed record RenderInput(IReadOnlyList<ClipSource?> Sources, string NarrationPath, BackgroundMusic? Music, FrameFit Fit, IReadOnlyList<VideoFormat> Formats,
    bool BurnSubtitles = true);

/// <summary>
/// Draws a timeline into an H.264/AAC MP4: the soundtrack is mixed once, the picture is drawn in
/// parallel segments of whole clips, and the two are joined by stream copy with +faststart.
/// </summary>
public sealed class VideoRenderer(
    IOptions<RenderingOptions> options, IOptions<MediaOptions> mediaOptions, MediaProbe probe, Soundtrack soundtrack, ILogger<VideoRenderer> logger)
{
    private readonly RenderingOptions _options = options.Value;
    private readonly MediaOptions _media = mediaOptions.Value;

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Draws every format of <paramref name="input"/> from the same timeline: same shots and times, reframed for each
    /// format's frame. The first is drawn in <paramref name="scratch"/> itself, each further one in a folder inside it.
    /// </summary>
    /// <param name="progress">Receives the fraction of all the formats' pictures drawn so far.</param>
    public async Task<IReadOnlyList<RenderedFormat>> RenderFormatsAsync(
        TimelineDocument timeline, RenderInput input, ScratchFolder scratch, Action<double>? progress, CancellationToken cancellationToken)
    {
        var results = new List<RenderedFormat>();
        var count = input.Formats.Count;
        // Un-burned, the cues are the sidecar files' alone (GET /videos/{id}/subtitles); the timeline keeps them.
        if (!input.BurnSubtitles) timeline = timeline with { Subtitles = [] };
        for (var n = 0; n < count; n++)
        {
            var format = input.Formats[n];
            var folder = n == 0 ? scratch : new ScratchFolder(scratch.Path, $"format{n}");
            var done = n;
            var rendered = await RenderAsync(timeline, new RenderTarget(format.Width, format.Height, input.Fit), input.Sources, input.NarrationPath, input.Music, folder,
                fraction => progress?.Invoke((done + fraction) / count), cancellationToken);
            results.Add(new RenderedFormat(format, rendered));
        }
        return results;
    }

    /// <param name="progress">Receives the fraction of the picture drawn so far, from ffmpeg's -progress.</param>
    public async Task<RenderedVideo> RenderAsync(
        TimelineDocument timeline,
        RenderTarget target,
        IReadOnlyList<ClipSource?> sources,
        string narrationPath,
        BackgroundMusic? music,
        ScratchFolder scratch,
        Action<double>? progress,
        CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var fps = timeline.FrameRate;
        var totalFrames = timeline.Clips.Sum(c => RenderPlan.FramesOf(c, fps));
        var duration = totalFrames / (double)fps;
        var subtitlePath = scratch.File("subtitles.ass");
        await File.WriteAllTextAsync(subtitlePath, SubtitleFile.Write(timeline with { Width = target.Width, Height = target.Height }), cancellationToken);

        var wanted = _options.Segments > 0 ? _options.Segments : Environment.ProcessorCount;
        var segmentCount = Math.Max(1, Math.Min(wanted, (int)(duration / _options.MinSecondsPerSegment)));
        var segments = RenderPlan.Segments(timeline, segmentCount);
        var drawn = new long[segments.Count];
        using var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var steps = new List<string>();

        var sound = TimedAsync(soundtrack.MixAsync(narrationPath, music, duration, scratch, failed.Token), "soundtrack");
        var pictures = segments.Select((segment, i) => TimedAsync(DrawSegmentAsync(i, segment), $"segment {i}")).ToList();
        // The poster is taken from the segment that holds its frame as soon as that segment is drawn, while
        // the others still draw: the joined video is a stream copy of the segments, so the frame is the same.
        var posterPath = scratch.File("poster.jpg");
        var posterAt = Math.Min(_options.PosterAtSeconds, duration / 2);
        var posterSegment = segments.Select((s, i) => (Start: SegmentStart(s), Index: i)).Last(s => s.Index == 0 || s.Start <= posterAt);
        var poster = TimedAsync(TakePosterAsync(pictures[posterSegment.Index], posterAt - posterSegment.Start), "poster");
        Task[] runs = [sound, poster, .. pictures];
        try
        {
            await Task.WhenAll(runs);
        }
        catch
        {
            // The runs the first failure stopped (see TimedAsync) end cancelled; the failure itself is what to report.
            if (runs.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions).FirstOrDefault(e => e is not OperationCanceledException) is { } cause)
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(cause);
            throw;
        }

        var listPath = scratch.File("segments.txt");
        await File.WriteAllTextAsync(listPath, RenderPlan.SegmentList(pictures.Select(p => p.Result)), cancellationToken);
        var outputPath = scratch.File("video.mp4");
        await ToolProcess.RunCheckedAsync(_media.FfmpegPath, RenderPlan.JoinArguments(listPath, await sound, duration, outputPath), _options.Timeout, cancellationToken);
        steps.Add(F($"joined at {stopwatch.Elapsed.TotalSeconds:0.0} s"));

        stopwatch.Stop();
        logger.LogInformation("Rendered {Frames} frames at {Width}x{Height} in {Segments} segments in {Seconds:0.0} s ({Steps})",
            totalFrames, target.Width, target.Height, segments.Count, stopwatch.Elapsed.TotalSeconds, string.Join(", ", steps));
        return new RenderedVideo(outputPath, posterPath, duration, stopwatch.Elapsed);

        async Task<T> TimedAsync<T>(Task<T> task, string step)
        {
            T result;
            try
            {
                result = await task;
            }
            catch
            {
                // One failed run stops the others at once instead of letting them draw for nothing (Task.WhenAll
                // would only report it when the slowest had finished).
                await failed.CancelAsync();
                throw;
            }
            lock (steps) steps.Add(F($"{step} done at {stopwatch.Elapsed.TotalSeconds:0.0} s"));
            return result;
        }

        double SegmentStart((int First, int Count) segment) => Math.Round(timeline.Clips[segment.First].Start * fps) / fps;

        async Task<ToolResult> TakePosterAsync(Task<string> segmentDrawn, double at) =>
            await ToolProcess.RunCheckedAsync(_media.FfmpegPath,
                ["-hide_banner", "-nostdin", "-y", "-ss", Math.Max(0, at).ToString("0.###", CultureInfo.InvariantCulture),
                 "-i", await segmentDrawn, "-frames:v", "1", "-q:v", "3", posterPath],
                TimeSpan.FromMinutes(1), failed.Token);

        async Task<string> DrawSegmentAsync(int index, (int First, int Count) segment)
        {
            var output = scratch.File($"segment-{index:000}.mp4");
            var filterPath = scratch.File($"segment-{index:000}.filter");
            var plan = RenderPlan.CreateSegment(timeline, target, sources, segment.First, segment.Count, subtitlePath, filterPath, output, probe.SafeInputOptions, _options.Preset);
            await File.WriteAllTextAsync(filterPath, plan.FilterScript, failed.Token);
            // Below the soundtrack's priority: the segments' encoders keep both cores busy, and the single-threaded
            // soundtrack would otherwise be starved until it is the last thing running, on one core.
            var result = await ToolProcess.RunAsync(_media.FfmpegPath, plan.Arguments, _options.Timeout, failed.Token,
                priority: ProcessPriorityClass.BelowNormal,
                onStderrLine: line =>
                {
                    if (progress is null || !line.StartsWith("frame=", StringComparison.Ordinal)
                        || !long.TryParse(line.AsSpan(6), NumberStyles.Integer, CultureInfo.InvariantCulture, out var frame)) return;
                    Interlocked.Exchange(ref drawn[index], frame);
                    progress(Math.Clamp(drawn.Sum() / (double)totalFrames, 0, 1));
                });
            if (result.ExitCode != 0)
                throw new ToolFailedException("ffmpeg", $"segment {index} failed ({result.ExitCode}): {string.Join(" | ", result.StandardError.Split('\n').Where(l => !l.Contains('=')).TakeLast(6))}");
            return output;
        }
    }
}
