using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Media;

/// <summary>
/// What ffprobe found in a file, after the limits were checked. <see cref="Width"/> and <see cref="Height"/> are the
/// picture's as seen, upright: the stored picture turned by its <see cref="Orientation"/> (<see cref="PictureOrientation"/>).
/// </summary>
public sealed record MediaInfo(string FormatName, bool IsStill, int Width, int Height, double DurationSeconds, double FrameRate, int AudioStreams)
{
    public int Orientation { get; init; } = PictureOrientation.Upright;

    /// <summary>The same file read as turned by <paramref name="orientation"/>: its sides swapped for a quarter turn.</summary>
    public MediaInfo Turned(int orientation)
    {
        var (width, height) = PictureOrientation.UprightSize(Width, Height, orientation);
        return this with { Width = width, Height = height, Orientation = orientation };
    }
}

/// <summary>
/// Probes untrusted files with ffprobe restricted to local files and a whitelist of demuxers, and
/// rejects anything outside the limits before any other tool touches it.
/// </summary>
public sealed class MediaProbe(IOptions<MediaOptions> options)
{
    private static readonly HashSet<string> StillFormats = ["image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe"];
    private readonly MediaOptions _options = options.Value;

    /// <summary>The input options every ffmpeg/ffprobe run on a library file starts with, the pixel limit included.</summary>
    public IReadOnlyList<string> SafeInputOptions => MediaOptions.SafeInputOptionsFor(_options.AllowedFormats, _options.MaxPixels);

    /// <summary>
    /// Reads the container's description, checks it against the limits, then decodes the first picture:
    /// a header can describe a file whose data is missing (a truncated upload), and only decoding tells. The picture
    /// is decoded under the pixel limit, so one larger than its header said is refused. A video's packets are then read
    /// (not decoded; about as fast as the disk) to check that they end where the header says.
    /// </summary>
    public async Task<MediaInfo> ProbeAsync(string path, CancellationToken cancellationToken = default)
    {
        if (new FileInfo(path).Length == 0) throw new MediaRejectedException("The file is empty.");
        var input = "file:" + Path.GetFullPath(path);
        var result = await RunAsync(_options.FfprobePath,
            ["-v", "error", .. SafeInputOptions, "-show_format", "-show_streams", "-of", "json", "-i", input], cancellationToken);
        if (result.ExitCode != 0)
            throw new MediaRejectedException("The file is not a supported image or video: " + FirstLine(result.StandardError));
        var info = Interpret(result.StandardOutputText);
        // A still says how it is turned in its EXIF, which ffprobe does not report for every format.
        if (info.IsStill) info = info.Turned(PictureOrientation.ReadFromStill(path));

        var decode = await RunAsync(_options.FfmpegPath,
            ["-nostdin", "-hide_banner", "-v", "error", "-xerror", .. SafeInputOptions, "-i", input, "-map", "0:V:0", "-frames:v", "1", "-f", "null", "-"],
            cancellationToken);
        if (PixelLimitMessage(decode.StandardError, _options.MaxPixels) is { } tooLarge) throw new MediaRejectedException(tooLarge);
        if (decode.ExitCode != 0 || decode.StandardError.Contains("Output file is empty", StringComparison.Ordinal))
            throw new MediaRejectedException("The picture could not be decoded: " + FirstLine(decode.StandardError));
        if (!info.IsStill) await CheckPacketsAsync(input, info.DurationSeconds, cancellationToken);
        return info;
    }

    /// <summary>
    /// Copies the picture's packets into ffmpeg's null muxer (nothing is decoded) and refuses the file when they run
    /// past its declared duration (<see cref="MediaOptions.DecodeLimitSeconds"/>) or number more frames than
    /// <see cref="MediaOptions.MaxFrameRate"/> allows over it. The copy stops just past either limit, so a file of
    /// hours behind a header of a minute costs a minute's packets.
    /// </summary>
    private async Task CheckPacketsAsync(string input, double declaredSeconds, CancellationToken cancellationToken)
    {
        var limit = MediaOptions.DecodeLimitSeconds(declaredSeconds);
        var maxFrames = _options.MaxFramesFor(declaredSeconds);
        var scan = await RunAsync(_options.FfmpegPath,
        [
            "-nostdin", "-hide_banner", "-nostats", "-v", "error", .. SafeInputOptions, "-i", input,
            "-map", "0:V:0", "-c", "copy", "-t", Invariant(limit + 1), "-frames:v", (maxFrames + 1).ToString(CultureInfo.InvariantCulture),
            "-f", "null", "-", "-progress", "pipe:1",
        ], cancellationToken);
        if (scan.ExitCode != 0) throw new MediaRejectedException("The video's packets could not be read: " + FirstLine(scan.StandardError));
        var (frames, seconds) = ParseProgress(scan.StandardOutputText);
        if (seconds > limit)
            throw new MediaRejectedException(
                $"The video runs past the {declaredSeconds:0.###} s its header declares (its frames go on beyond {limit:0.#} s); the file is refused.");
        if (frames > maxFrames)
            throw new MediaRejectedException(
                $"The video holds more than {maxFrames} frames, over {_options.MaxFrameRate:0} per second " +
                $"of the {declaredSeconds:0.###} s its header declares.");
    }

    /// <summary>The last frame count and output time (seconds) of ffmpeg's <c>-progress</c> report.</summary>
    internal static (long Frames, double Seconds) ParseProgress(string progress)
    {
        long frames = 0, microseconds = 0;
        foreach (var line in progress.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith("frame=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(6), CultureInfo.InvariantCulture, out var f)) frames = f;
            else if (line.StartsWith("out_time_us=", StringComparison.Ordinal) && long.TryParse(line.AsSpan(12), CultureInfo.InvariantCulture, out var us))
                microseconds = us;
        }
        return (frames, microseconds / 1e6);
    }

    /// <summary>A plain reason when ffmpeg refused a picture over the pixel limit (<c>-max_pixels</c>), else null.</summary>
    public static string? PixelLimitMessage(string stderr, long maxPixels)
    {
        var match = System.Text.RegularExpressions.Regex.Match(stderr, @"Picture size (\d+)x(\d+) exceeds specified max pixel count");
        return match.Success
            ? $"The picture is {match.Groups[1].Value}×{match.Groups[2].Value} once decoded; at most {maxPixels} pixels are accepted."
            : null;
    }

    /// <summary>
    /// Probes a music bed: local file, whitelisted formats, stream limit, a sound stream and its declared duration, which
    /// the decode that follows is held to (<see cref="MediaOptions.DecodeLimitSeconds"/>).
    /// </summary>
    public async Task<double> ProbeAudioAsync(string path, CancellationToken cancellationToken = default)
    {
        if (new FileInfo(path).Length == 0) throw new MediaRejectedException("The file is empty.");
        var result = await RunAsync(_options.FfprobePath,
            ["-v", "error", .. SafeInputOptions, "-show_format", "-show_streams", "-of", "json", "-i", "file:" + Path.GetFullPath(path)], cancellationToken);
        if (result.ExitCode != 0) throw new MediaRejectedException("The file is not a supported audio file: " + FirstLine(result.StandardError));
        return InterpretAudio(result.StandardOutputText);
    }

    internal double InterpretAudio(string ffprobeJson)
    {
        var (format, streams) = Parse(ffprobeJson, "The file is not a supported audio file.");
        if (streams.Count > _options.MaxStreams)
            throw new MediaRejectedException($"The file has {streams.Count} streams; at most {_options.MaxStreams} are accepted.");
        var types = CodecTypes(streams);
        var audio = streams.Where((_, i) => types[i] == "audio").ToList();
        if (audio.Count == 0) throw new MediaRejectedException("The file has no sound.");
        return ParseDouble(format, "duration") ?? ParseDouble(audio[0], "duration") ?? 0;
    }

    private async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ToolProcess.RunAsync(tool, arguments, _options.ProbeTimeout, cancellationToken, maxOutputBytes: MediaOptions.MaxProbeOutputBytes);
        }
        catch (ToolOutputLimitException)
        {
            throw new MediaRejectedException($"The file's description is larger than {MediaOptions.MaxProbeOutputBytes} bytes; it is not a file to accept.");
        }
        catch (ToolFailedException e)
        {
            throw new MediaRejectedException($"The file could not be read as media ({e.Message}).");
        }
    }

    /// <summary>ffprobe's format and streams, every field read as optional: a missing or mistyped one refuses the file, never throws otherwise.</summary>
    private static (JsonElement Format, List<JsonElement> Streams) Parse(string ffprobeJson, string notMedia)
    {
        JsonElement root;
        try
        {
            using var json = JsonDocument.Parse(ffprobeJson);
            root = json.RootElement.Clone();
        }
        catch (JsonException) { throw new MediaRejectedException(notMedia); }
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("format", out var format) || format.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("streams", out var streams) || streams.ValueKind != JsonValueKind.Array)
            throw new MediaRejectedException(notMedia);
        var list = streams.EnumerateArray().ToList();
        if (list.Any(s => s.ValueKind != JsonValueKind.Object)) throw new MediaRejectedException(notMedia);
        return (format, list);
    }

    /// <summary>Each stream's codec_type; a stream without one (ffprobe leaves it out for an unknown kind) refuses the file.</summary>
    private static string[] CodecTypes(List<JsonElement> streams) => streams.Select((s, i) =>
        String(s, "codec_type") ?? throw new MediaRejectedException($"Stream {i} of the file has no codec type; the file is refused.")).ToArray();

    internal MediaInfo Interpret(string ffprobeJson)
    {
        var (format, allStreams) = Parse(ffprobeJson, "The file is not a supported image or video.");
        var formatName = String(format, "format_name") ?? throw new MediaRejectedException("The file's container has no name; the file is refused.");
        if (allStreams.Count > _options.MaxStreams)
            throw new MediaRejectedException($"The file has {allStreams.Count} streams; at most {_options.MaxStreams} are accepted.");
        var types = CodecTypes(allStreams);
        // Cover art in an audio file is a "video" stream too, but it is no picture to cut into a video.
        var videos = allStreams.Where((s, i) => types[i] == "video" && !IsAttachedPicture(s)).ToList();
        var audioCount = types.Count(t => t == "audio");
        if (videos.Count == 0) throw new MediaRejectedException("The file has no picture: a video or image is needed.");
        var video = videos[0];
        var width = Int(video, "width") ?? 0;
        var height = Int(video, "height") ?? 0;
        if (width <= 0 || height <= 0) throw new MediaRejectedException("The picture has no size.");
        if ((long)width * height > _options.MaxPixels)
            throw new MediaRejectedException($"The picture is {width}×{height}; at most {_options.MaxPixels} pixels are accepted.");

        var isStill = formatName.Split(',').Any(StillFormats.Contains);
        var duration = ParseDouble(format, "duration") ?? ParseDouble(video, "duration") ?? 0;
        if (!isStill)
        {
            if (duration <= 0) throw new MediaRejectedException("The video has no duration.");
            if (duration > _options.MaxDurationSeconds)
                throw new MediaRejectedException($"The video lasts {duration:0} s; at most {_options.MaxDurationSeconds:0} s are accepted.");
        }
        var frameRate = ParseRate(String(video, "avg_frame_rate"));
        var info = new MediaInfo(formatName, isStill, width, height, isStill ? 0 : duration, frameRate, audioCount);
        return isStill ? info : info.Turned(PictureOrientation.FromVideoStream(video));
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition) && disposition.ValueKind == JsonValueKind.Object && Int(disposition, "attached_pic") == 1;

    private static string? String(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;

    private static double? ParseDouble(JsonElement element, string name) =>
        String(element, name) is { } text && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d)
            ? d : null;

    private static string Invariant(double value) => value.ToString("0.######", CultureInfo.InvariantCulture);

    private static double ParseRate(string? rate)
    {
        if (rate is null) return 0;
        var parts = rate.Split('/');
        return parts.Length == 2 && double.TryParse(parts[0], CultureInfo.InvariantCulture, out var n) && double.TryParse(parts[1], CultureInfo.InvariantCulture, out var d) && d > 0 ? n / d : 0;
    }

    private static string FirstLine(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "unknown format";
}

/// <summary>An uploaded file that the service will not accept.</summary>
public sealed class MediaRejectedException(string message) : Exception(message);
