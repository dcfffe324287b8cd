using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;

namespace VidPress.Core.Library;

/// <summary>A picture written during the scene pass: the frame's time and its JPEG.</summary>
public sealed record KeyframeCandidate(double Time, string Path);

/// <summary>What the single decoding pass over a video found: every frame's scene score and the candidate keyframes.</summary>
public sealed record SceneScan(IReadOnlyList<SceneScore> Scores, IReadOnlyList<KeyframeCandidate> Candidates)
{
    /// <summary>Every scored frame as a tiny grey picture, for the gradual-transition and flash checks; null if they did not line up.</summary>
    public TinyFrames? Frames { get; init; }
}

/// <summary>
/// Reads ffmpeg's scene-change score of every frame (the select filter's <c>scene</c> value, printed by the
/// metadata filter) in one decoding pass over a downscaled copy: cuts are as visible at 160 px as at 4K. The copy is
/// scaled by averaging (area), which is cheaper than the default bicubic at this ratio and smooths grain out of the scores.
/// </summary>
public sealed partial class SceneDetector(IOptions<MediaOptions> media, IOptions<IngestOptions> library)
{
    private readonly MediaOptions _media = media.Value;
    private readonly IngestOptions _library = library.Value;

    /// <summary>
    /// Scene scores of every frame and, from the same decoding pass, candidate keyframes: the first frame of every
    /// <see cref="IngestOptions.KeyframeCandidateSeconds"/> slot, at most <see cref="IngestOptions.KeyframeCandidateWidth"/>
    /// pixels wide, written as JPEGs into <paramref name="folder"/>. Decoding is what ingest spends its time on, and
    /// keyframes can only be chosen once the cuts are known, so this one pass serves both: the keyframes are then
    /// picked among the candidates (see <see cref="ShotBoundaries.PickCandidates"/>) instead of decoding the file again.
    /// </summary>
    /// <param name="orientation">
    /// How the stored picture is turned upright (<see cref="PictureOrientation"/>): the candidates are turned after they
    /// are scaled down, which costs a fraction of turning every decoded frame as ffmpeg's own rotation does; the scene
    /// scores and tiny frames compare frames with each other and are read as stored. Null leaves the turning to ffmpeg.
    /// </param>
    public async Task<SceneScan> ScanAsync(string path, string folder, double durationSeconds, int? orientation, CancellationToken cancellationToken)
    {
        var perSecond = (1 / Math.Max(0.04, _library.KeyframeCandidateSeconds)).ToString("0.######", CultureInfo.InvariantCulture);
        var width = Math.Max(64, _library.KeyframeCandidateWidth).ToString(CultureInfo.InvariantCulture);
        // Slot k holds the frames with floor(t * perSecond) == k; each slot's first frame is a candidate.
        var slot = $"floor(t*{perSecond})";
        var graph =
            "[0:v:0]split=2[scan][pick];" +
            // Microsecond timestamps: the metadata filter prints pts_time with six significant digits (10 ms steps past
            // 1000 s, 100 ms past 10,000 s), but pts exactly; read in that time base, cuts stay on their frames.
            $"[scan]settb=1/{ScoreTimeBase},scale=160:-2:flags=area,select='gte(scene\\,0)',metadata=print,split=2[scores][small];" +
            // The same frames again at 16x9 grey (144 bytes each), for comparing frames a second apart: dissolves, wipes, flashes.
            $"[small]scale={TinyFrames.DefaultWidth}:{TinyFrames.DefaultHeight}:flags=area,format=gray[tiny];" +
            $"[pick]select='isnan(prev_selected_t)+gt({slot}\\,floor(prev_selected_t*{perSecond}))',showinfo," +
            // At most that wide once upright: a picture turned a quarter is as wide as it is stored high.
            (PictureOrientation.SwapsSides(orientation) ? $"scale=-2:'min({width}\\,ih)'," : $"scale='min({width}\\,iw)':-2,") +
            (PictureOrientation.Filter(orientation) is { } upright ? upright + "," : "") + "format=yuvj420p[candidates]";
        // Held to the duration the header declares: past DecodeLimitSeconds of it, or past MaxFrameRate frames a second
        // over it (timestamps that stand still), ffmpeg is stopped and the file refused. Scores are parsed as the lines
        // come, 16 bytes a frame, and the tiny pictures are 144 bytes a frame on scratch disk, read back once at the end, so
        // what this pass keeps grows with the frames decoded and no further.
        var declared = durationSeconds > 0 && double.IsFinite(durationSeconds) ? durationSeconds : _media.MaxDurationSeconds;
        var limit = MediaOptions.DecodeLimitSeconds(declared);
        var maxFrames = _media.MaxFramesFor(declared);
        var scores = new ScoreReader();
        var frameLines = new List<string>();
        string? overrun = null;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var pattern = Path.Combine(folder, "candidate-%06d.jpg");
        var tinyPath = Path.Combine(folder, "frames.gray");
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(_media.FfmpegPath,
            [
                "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", .. MediaOptions.SafeInputOptionsFor(_media.AllowedFormats, _media.MaxPixels),
                .. PictureOrientation.InputOptions(orientation),
                .. (_library.DecodeThreads > 0 ? ["-threads", _library.DecodeThreads.ToString(CultureInfo.InvariantCulture)] : Array.Empty<string>()),
                "-i", "file:" + Path.GetFullPath(path), "-filter_complex", graph,
                "-map", "[scores]", "-an", "-sn", "-dn", "-f", "null", "-",
                "-map", "[tiny]", "-an", "-sn", "-dn", "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "gray", "file:" + tinyPath,
                "-map", "[candidates]", "-an", "-sn", "-dn", "-fps_mode", "passthrough", "-c:v", "mjpeg", "-q:v", "3",
                "-start_number", "0", "-f", "image2", pattern,
            ], TimeoutFor(durationSeconds, _library), stop.Token, onStderrLine: line =>
            {
                if (line.Contains("Parsed_metadata", StringComparison.Ordinal))
                {
                    lock (scores)
                    {
                        if (overrun is not null || scores.Add(line) is not { } time) return;
                        if (time > limit)
                            overrun = $"The video runs past the {declared:0.###} s its header declares (a frame at {time:0.#} s); the file is refused.";
                        else if (scores.Frames > maxFrames)
                            overrun = $"The video holds more than {maxFrames} frames, over {_media.MaxFrameRate:0} per second " +
                                $"of the {declared:0.###} s its header declares.";
                        if (overrun is not null) stop.Cancel();
                    }
                }
                else if (line.Contains("Parsed_showinfo", StringComparison.Ordinal)) lock (frameLines) frameLines.Add(line);
            });
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && overrun is not null)
        {
            throw new MediaRejectedException(overrun);
        }
        if (PixelLimitMessage(result.StandardError) is { } tooLarge) throw new MediaRejectedException(tooLarge);
        if (result.ExitCode != 0)
            throw new ToolFailedException(_media.FfmpegPath, "scene detection failed: " + result.StandardError.Trim().Split('\n').LastOrDefault());
        IReadOnlyList<double> times;
        lock (frameLines) times = Embeddings.FrameDecoder.ParseFrameTimes(frameLines);
        var candidates = times.Select((t, i) => new KeyframeCandidate(t, Path.Combine(folder, $"candidate-{i.ToString("000000", CultureInfo.InvariantCulture)}.jpg"))).ToList();
        if (candidates.Any(c => !File.Exists(c.Path)))
            throw new ToolFailedException(_media.FfmpegPath, $"logged {candidates.Count} candidate keyframes but wrote fewer");
        TinyFrames? tiny = null;
        if (File.Exists(tinyPath))
        {
            tiny = new TinyFrames(TinyFrames.DefaultWidth, TinyFrames.DefaultHeight, await File.ReadAllBytesAsync(tinyPath, cancellationToken));
            File.Delete(tinyPath);
        }
        lock (scores) return new SceneScan(scores.Scores, candidates) { Frames = tiny?.Count == scores.Scores.Count ? tiny : null };
    }

    private string? PixelLimitMessage(string stderr) => MediaProbe.PixelLimitMessage(stderr, _media.MaxPixels);

    /// <summary>
    /// The scene pass's limit: <see cref="IngestOptions.IngestToolTimeout"/> plus the footage's duration, so a pass
    /// as slow as realtime still finishes (a 3-hour upload would otherwise be killed at 10 minutes, three times over).
    /// </summary>
    public static TimeSpan TimeoutFor(double durationSeconds, IngestOptions options) =>
        options.IngestToolTimeout + TimeSpan.FromSeconds(Math.Max(0, double.IsFinite(durationSeconds) ? durationSeconds : 0));

    /// <summary>The scene pass's time base (1/this seconds): microseconds.</summary>
    internal const long ScoreTimeBase = 1_000_000;

    /// <summary>Pairs each frame line's "pts:" (in <see cref="ScoreTimeBase"/>) with the "lavfi.scene_score=" line that follows it.</summary>
    internal static IReadOnlyList<SceneScore> Parse(IEnumerable<string> metadataLines)
    {
        var reader = new ScoreReader();
        foreach (var line in metadataLines) reader.Add(line);
        return reader.Scores;
    }

    /// <summary>Reads the metadata filter's lines one at a time, keeping only the scores.</summary>
    private sealed class ScoreReader
    {
        private double? _time;
        public List<SceneScore> Scores { get; } = [];
        /// <summary>Frames seen (their pts lines), scored or not.</summary>
        public long Frames { get; private set; }

        /// <summary>Takes one line; returns the frame's time when it was a frame's pts line.</summary>
        public double? Add(string line)
        {
            if (FramePts().Match(line) is { Success: true } frame && long.TryParse(frame.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var pts))
            {
                Frames++;
                return _time = pts / (double)ScoreTimeBase;
            }
            if (Score().Match(line) is { Success: true } score && _time is { } t)
            {
                Scores.Add(new SceneScore(t, double.Parse(score.Groups[1].ValueSpan, CultureInfo.InvariantCulture)));
                _time = null;
            }
            return null;
        }
    }

    [GeneratedRegex(@"\bpts:\s*(-?\d+)")]
    private static partial Regex FramePts();

    [GeneratedRegex(@"lavfi\.scene_score=([0-9.]+)")]
    private static partial Regex Score();
}
