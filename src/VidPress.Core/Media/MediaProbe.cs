using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Media;

public sealed class MediaOptions
{
    public string FfmpegPath { get; set; } = "ffmpeg";
    public string FfprobePath { get; set; } = "ffprobe";
    /// <summary>Demuxers an uploaded file may use. No playlists (hls, dash, concat): they read other files.</summary>
    public static readonly string[] DefaultAllowedFormats =
    [
        "mov", "mp4", "m4a", "3gp", "3g2", "mj2", "matroska", "webm", "avi", "mpegts", "mxf", "flv",
        "image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe", "gif", "gif_pipe",
        // Sound only, for music beds (a library upload still needs a picture).
        "wav", "mp3", "flac", "ogg", "aac",
    ];

    public string[] AllowedFormats { get; set; } = DefaultAllowedFormats;
    public long MaxPixels { get; set; } = 4096L * 4096;
    public double MaxDurationSeconds { get; set; } = 3 * 60 * 60;
    public int MaxStreams { get; set; } = 8;
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The input options every ffmpeg/ffprobe run on a library file starts with.</summary>
    public static IReadOnlyList<string> SafeInputOptionsFor(IEnumerable<string> allowedFormats) =>
        ["-protocol_whitelist", "file", "-format_whitelist", string.Join(',', allowedFormats)];
}

/// <summary>What ffprobe found in a file, after the limits were checked.</summary>
public sealed record MediaInfo(string FormatName, bool IsStill, int Width, int Height, double DurationSeconds, double FrameRate, int AudioStreams);

/// <summary>
/// Probes untrusted files with ffprobe restricted to local files and a whitelist of demuxers, and
/// rejects anything outside the limits before any other tool touches it.
/// </summary>
public sealed class MediaProbe(IOptions<MediaOptions> options)
{
    private static readonly HashSet<string> StillFormats = ["image2", "png_pipe", "jpeg_pipe", "webp_pipe", "bmp_pipe", "tiff_pipe"];
    private readonly MediaOptions _options = options.Value;

    /// <summary>The input options every ffmpeg/ffprobe run on a library file starts with.</summary>
    public IReadOnlyList<string> SafeInputOptions => MediaOptions.SafeInputOptionsFor(_options.AllowedFormats);

    /// <summary>
    /// Reads the container's description, checks it against the limits, then decodes the first picture:
    /// a header can describe a file whose data is missing (a truncated upload), and only decoding tells.
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

        var decode = await RunAsync(_options.FfmpegPath,
            ["-nostdin", "-hide_banner", "-v", "error", "-xerror", .. SafeInputOptions, "-i", input, "-map", "0:v:0", "-frames:v", "1", "-f", "null", "-"],
            cancellationToken);
        if (decode.ExitCode != 0 || decode.StandardError.Contains("Output file is empty", StringComparison.Ordinal))
            throw new MediaRejectedException("The picture could not be decoded: " + FirstLine(decode.StandardError));
        return info;
    }

    private async Task<ToolResult> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        try
        {
            return await ToolProcess.RunAsync(tool, arguments, _options.ProbeTimeout, cancellationToken);
        }
        catch (ToolFailedException e)
        {
            throw new MediaRejectedException($"The file could not be read as media ({e.Message}).");
        }
    }

    internal MediaInfo Interpret(string ffprobeJson)
    {
        using var json = JsonDocument.Parse(ffprobeJson);
        var root = json.RootElement;
        if (!root.TryGetProperty("format", out var format) || !root.TryGetProperty("streams", out var streams))
            throw new MediaRejectedException("The file is not a supported image or video.");
        var formatName = format.GetProperty("format_name").GetString() ?? "";
        var allStreams = streams.EnumerateArray().ToList();
        if (allStreams.Count > _options.MaxStreams)
            throw new MediaRejectedException($"The file has {allStreams.Count} streams; at most {_options.MaxStreams} are accepted.");
        // Cover art in an audio file is a "video" stream too, but it is no picture to cut into a video.
        var videos = allStreams.Where(s => s.GetProperty("codec_type").GetString() == "video" && !IsAttachedPicture(s)).ToList();
        var audioCount = allStreams.Count(s => s.GetProperty("codec_type").GetString() == "audio");
        if (videos.Count == 0) throw new MediaRejectedException("The file has no picture: a video or image is needed.");
        var video = videos[0];
        var width = video.TryGetProperty("width", out var w) ? w.GetInt32() : 0;
        var height = video.TryGetProperty("height", out var h) ? h.GetInt32() : 0;
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
        var frameRate = ParseRate(video.TryGetProperty("avg_frame_rate", out var r) ? r.GetString() : null);
        return new MediaInfo(formatName, isStill, width, height, isStill ? 0 : duration, frameRate, audioCount);
    }

    private static bool IsAttachedPicture(JsonElement stream) =>
        stream.TryGetProperty("disposition", out var disposition) && disposition.TryGetProperty("attached_pic", out var flag) && flag.GetInt32() == 1;

    private static double? ParseDouble(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

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
