using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Timeline;

namespace VidPress.Core.Rendering;

public sealed class RenderingOptions
{
    public string Preset { get; set; } = "veryfast";
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(30);
    public double PosterAtSeconds { get; set; } = 1.0;
}

public sealed record RenderedVideo(string VideoPath, string PosterPath, double DurationSeconds, TimeSpan Elapsed);

/// <summary>Draws a timeline into an H.264/AAC MP4 with ffmpeg, plus a poster frame.</summary>
public sealed class VideoRenderer(IOptions<RenderingOptions> options, IOptions<MediaOptions> mediaOptions, MediaProbe probe, ILogger<VideoRenderer> logger)
{
    private readonly RenderingOptions _options = options.Value;
    private readonly MediaOptions _media = mediaOptions.Value;

    /// <param name="progress">Receives the fraction of the video drawn so far, from ffmpeg's -progress.</param>
    public async Task<RenderedVideo> RenderAsync(
        TimelineDocument timeline,
        IReadOnlyList<ClipSource?> sources,
        string narrationPath,
        ScratchFolder scratch,
        Action<double>? progress,
        CancellationToken cancellationToken)
    {
        var subtitlePath = scratch.File("subtitles.ass");
        var filterPath = scratch.File("filter.txt");
        var outputPath = scratch.File("video.mp4");
        var posterPath = scratch.File("poster.jpg");
        await File.WriteAllTextAsync(subtitlePath, SubtitleFile.Write(timeline), cancellationToken);
        var plan = RenderPlan.Create(timeline, sources, narrationPath, subtitlePath, filterPath, outputPath, probe.SafeInputOptions, _options.Preset);
        await File.WriteAllTextAsync(filterPath, plan.FilterScript, cancellationToken);

        var stopwatch = Stopwatch.StartNew();
        var totalMicroseconds = plan.TotalFrames / (double)timeline.FrameRate * 1e6;
        var result = await ToolProcess.RunAsync(_media.FfmpegPath, plan.Arguments, _options.Timeout, cancellationToken,
            onStderrLine: line =>
            {
                if (progress is not null && line.StartsWith("out_time_us=", StringComparison.Ordinal)
                    && long.TryParse(line.AsSpan(12), NumberStyles.Integer, CultureInfo.InvariantCulture, out var us))
                    progress(Math.Clamp(us / totalMicroseconds, 0, 1));
            });
        if (result.ExitCode != 0)
            throw new ToolFailedException("ffmpeg", $"render failed ({result.ExitCode}): {string.Join(" | ", result.StandardError.Split('\n').Where(l => !l.Contains('=')).TakeLast(6))}");
        stopwatch.Stop();
        logger.LogInformation("Rendered {Frames} frames in {Seconds:0.0} s", plan.TotalFrames, stopwatch.Elapsed.TotalSeconds);

        await ToolProcess.RunCheckedAsync(_media.FfmpegPath,
            ["-hide_banner", "-nostdin", "-y", "-ss", Math.Min(_options.PosterAtSeconds, timeline.DurationSeconds / 2).ToString("0.###", CultureInfo.InvariantCulture),
             "-i", outputPath, "-frames:v", "1", "-q:v", "3", posterPath],
            TimeSpan.FromMinutes(1), cancellationToken);
        return new RenderedVideo(outputPath, posterPath, plan.TotalFrames / (double)timeline.FrameRate, stopwatch.Elapsed);
    }
}
