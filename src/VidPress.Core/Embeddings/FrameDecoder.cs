using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using VidPress.Core.Media;

namespace VidPress.Core.Embeddings;

/// <summary>A frame read from a video: the time asked for, the frame's own time, and its pixels.</summary>
public sealed record DecodedFrame(TimeSpan RequestedTime, TimeSpan FrameTime, RgbImage Image);

/// <summary>
/// Decodes pictures and video frames to <see cref="RgbImage"/> with ffmpeg, so no image library is needed.
/// Frames come back as a PPM stream, whose headers carry the size after ffmpeg's own rotation handling.
/// The frame "at" a time is the first frame whose timestamp is at or after it (what <c>ffmpeg -ss</c> gives),
/// times counted from the start of the file. No picture over <c>maxPixels</c> is decoded or accepted, and ffmpeg's output
/// is read up to the size of the pictures asked for at that limit, never further.
/// </summary>
public sealed partial class FrameDecoder(
    string ffmpegPath = "ffmpeg", TimeSpan? timeout = null, IReadOnlyList<string>? allowedFormats = null, long maxPixels = 4096L * 4096)
{
    private readonly TimeSpan _timeout = timeout ?? TimeSpan.FromMinutes(2);
    // Library files are untrusted uploads: the same local-files-only, no-playlists input options as the probe.
    private readonly IReadOnlyList<string> _safeInputOptions =
        MediaOptions.SafeInputOptionsFor(allowedFormats ?? MediaOptions.DefaultAllowedFormats, maxPixels);

    /// <summary>The most stdout <paramref name="pictures"/> PPM pictures at the pixel limit take: header and RGB bytes.</summary>
    private long OutputLimit(int pictures) => pictures * (maxPixels * 3 + 64);

    /// <summary>
    /// The first frame of a picture (PNG, JPEG, …) or video, turned upright by <paramref name="orientation"/> (what the probe found,
    /// <see cref="PictureOrientation"/>) with ffmpeg's own rotation off; null leaves the turning to ffmpeg.
    /// </summary>
    public async Task<RgbImage> ReadImageAsync(string path, int? orientation = null, CancellationToken cancellationToken = default)
    {
        var arguments = InputArguments(path, seek: null, logLevel: "error", PictureOrientation.InputOptions(orientation));
        if (PictureOrientation.Filter(orientation) is { } upright) arguments.AddRange(["-vf", upright]);
        arguments.AddRange(["-frames:v", "1"]);
        arguments.AddRange(OutputArguments);
        var result = await RunAsync(arguments, 1, cancellationToken);
        var frames = ParsePpmStream(result.StandardOutput, maxPixels);
        return frames.Count > 0 ? frames[0] : throw new ToolFailedException(ffmpegPath, $"no picture decoded from {Path.GetFileName(path)}");
    }

    /// <summary>
    /// Decodes JPEGs this service wrote itself (candidate keyframes of the scene pass) in one ffmpeg run: their bytes
    /// go to ffmpeg's JPEG pipe demuxer on stdin, the pictures come back in the same order.
    /// </summary>
    public async Task<IReadOnlyList<RgbImage>> ReadJpegsAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) return [];
        using var input = new MemoryStream();
        foreach (var path in paths) input.Write(await File.ReadAllBytesAsync(path, cancellationToken));
        input.Position = 0;
        var arguments = new List<string>
        {
            "-nostdin", "-hide_banner", "-nostats", "-loglevel", "error", "-max_pixels", maxPixels.ToString(CultureInfo.InvariantCulture),
            "-f", "jpeg_pipe", "-i", "pipe:0", "-fps_mode", "passthrough",
        };
        arguments.AddRange(OutputArguments);
        var result = await RunAsync(arguments, paths.Count, cancellationToken, input);
        var images = ParsePpmStream(result.StandardOutput, maxPixels);
        return images.Count == paths.Count ? images : throw new ToolFailedException(ffmpegPath, $"decoded {images.Count} of {paths.Count} pictures");
    }

    /// <summary>The frame shown at <paramref name="time"/>.</summary>
    public async Task<RgbImage> ReadFrameAsync(string path, TimeSpan time, CancellationToken cancellationToken = default)
    {
        var frames = await ReadFramesAsync(path, [time], cancellationToken);
        return frames.Count > 0 ? frames[0].Image : throw new ToolFailedException(ffmpegPath, $"no frame at {time} in {Path.GetFileName(path)}");
    }

    /// <summary>
    /// Frames at several times in one ffmpeg run: it seeks to the earliest time and a select filter keeps only the
    /// frames wanted. Times past the last frame are left out of the result. Every frame is held in memory, so
    /// callers ingesting long HD videos pass their times in chunks (a 1080p frame is 6 MB).
    /// </summary>
    public async Task<IReadOnlyList<DecodedFrame>> ReadFramesAsync(string path, IReadOnlyList<TimeSpan> times, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(times);
        if (times.Count == 0) return [];
        if (times.Any(t => t < TimeSpan.Zero)) throw new ArgumentOutOfRangeException(nameof(times), "times must not be negative");

        var targets = times.Select(t => t.TotalSeconds).Distinct().Order().ToArray();
        var seek = targets[0];
        var arguments = InputArguments(path, seek, logLevel: "info");
        arguments.AddRange([
            "-vf", $"select={SelectExpression(targets.Select(t => t - seek))},showinfo",
            "-fps_mode", "passthrough",
            // No more frames than targets can be selected; stopping there spares decoding the rest of the file.
            "-frames:v", targets.Length.ToString(CultureInfo.InvariantCulture),
        ]);
        arguments.AddRange(OutputArguments);

        // A few showinfo lines per selected frame (the frame limit bounds them), plus its configuration lines.
        var stderr = new List<string>();
        var result = await RunAsync(arguments, targets.Length, cancellationToken,
            onStderrLine: line =>
            {
                if (line.Contains("Parsed_showinfo", StringComparison.Ordinal)) lock (stderr) if (stderr.Count < targets.Length * 8 + 16) stderr.Add(line);
            });

        var images = ParsePpmStream(result.StandardOutput, maxPixels);
        List<string> lines;
        lock (stderr) lines = [.. stderr];
        var frameTimes = ParseFrameTimes(lines).Select(t => t + seek).ToArray();
        if (frameTimes.Length != images.Count)
            throw new ToolFailedException(ffmpegPath, $"decoded {images.Count} frames but logged {frameTimes.Length} frame times");

        var frames = new List<DecodedFrame>(times.Count);
        foreach (var time in times)
        {
            // The select filter compares the same doubles; the tolerance only absorbs the seek offset's rounding.
            var index = Array.FindIndex(frameTimes, t => t >= time.TotalSeconds - 1e-6);
            if (index >= 0) frames.Add(new DecodedFrame(time, TimeSpan.FromSeconds(frameTimes[index]), images[index]));
        }
        return frames;
    }

    /// <summary>
    /// One ffmpeg run whose stdout is capped at <paramref name="pictures"/> pictures of the pixel limit; a picture
    /// over the limit is refused as the upload's fault (<see cref="MediaRejectedException"/>), any other failure is the tool's.
    /// </summary>
    private async Task<ToolResult> RunAsync(
        List<string> arguments, int pictures, CancellationToken cancellationToken, Stream? input = null, Action<string>? onStderrLine = null)
    {
        ToolResult result;
        try
        {
            result = await ToolProcess.RunAsync(ffmpegPath, arguments, _timeout, cancellationToken, input, onStderrLine, maxOutputBytes: OutputLimit(pictures));
        }
        catch (ToolOutputLimitException)
        {
            throw new MediaRejectedException($"The file decodes to more than {pictures} picture(s) of at most {maxPixels} pixels.");
        }
        if (MediaProbe.PixelLimitMessage(result.StandardError, maxPixels) is { } tooLarge) throw new MediaRejectedException(tooLarge);
        if (result.ExitCode != 0)
            throw new ToolFailedException(ffmpegPath, $"exited with {result.ExitCode}: {result.StandardError.Trim().Split('\n').LastOrDefault()}");
        return result;
    }

    private static readonly string[] OutputArguments = ["-an", "-sn", "-dn", "-pix_fmt", "rgb24", "-f", "image2pipe", "-c:v", "ppm", "pipe:1"];

    private List<string> InputArguments(string path, double? seek, string logLevel, IReadOnlyList<string>? inputOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var arguments = new List<string> { "-nostdin", "-hide_banner", "-nostats", "-loglevel", logLevel };
        arguments.AddRange(_safeInputOptions);
        arguments.AddRange(inputOptions ?? []);
        if (seek is > 0) arguments.AddRange(["-ss", seek.Value.ToString("0.######", CultureInfo.InvariantCulture)]);
        // "file:" stops a name such as "x:y.mp4" being taken for another protocol.
        arguments.AddRange(["-i", "file:" + Path.GetFullPath(path)]);
        return arguments;
    }

    /// <summary>
    /// Selects each frame that is the first at or after some target: a target τ falls in (previous frame's t, t].
    /// Only numbers formatted here go into the filtergraph, never caller text.
    /// </summary>
    internal static string SelectExpression(IEnumerable<double> targets)
    {
        var terms = targets.Select(t =>
        {
            var tau = t.ToString("0.#########", CultureInfo.InvariantCulture);
            return $"(isnan(prev_t)+gt({tau},prev_t))*lte({tau},t)";
        });
        // select routes a value v > 1 to output ceil(v)-1, which does not exist here, so clamp the sum to 0/1.
        return $"gt({string.Join('+', terms)},0)".Replace(",", "\\,", StringComparison.Ordinal);
    }

    internal static IReadOnlyList<double> ParseFrameTimes(IEnumerable<string> showinfoLines)
    {
        long numerator = 0, denominator = 0;
        var times = new List<double>();
        foreach (var line in showinfoLines)
        {
            if (TimeBaseLine().Match(line) is { Success: true } config)
            {
                numerator = long.Parse(config.Groups[1].ValueSpan, CultureInfo.InvariantCulture);
                denominator = long.Parse(config.Groups[2].ValueSpan, CultureInfo.InvariantCulture);
            }
            else if (FrameLine().Match(line) is { Success: true } frame)
            {
                if (denominator == 0) throw new FormatException("showinfo logged a frame before its time base");
                times.Add((double)long.Parse(frame.Groups[1].ValueSpan, CultureInfo.InvariantCulture) * numerator / denominator);
            }
        }
        return times;
    }

    /// <summary>Splits concatenated binary PPM (P6, 8-bit) images, each checked to be at most <paramref name="maxPixels"/> as decoded.</summary>
    internal static IReadOnlyList<RgbImage> ParsePpmStream(byte[] data, long maxPixels = long.MaxValue)
    {
        var images = new List<RgbImage>();
        var position = 0;
        while (position < data.Length)
        {
            if (data.Length - position < 2 || data[position] != 'P' || data[position + 1] != '6')
                throw new FormatException($"expected a P6 header at byte {position}");
            position += 2;
            var width = ReadHeaderNumber(data, ref position);
            var height = ReadHeaderNumber(data, ref position);
            var maxValue = ReadHeaderNumber(data, ref position);
            if (maxValue != 255) throw new FormatException($"PPM max value {maxValue}; only 8-bit frames are expected");
            position++; // the single whitespace byte before the pixels
            if ((long)width * height > maxPixels)
                throw new MediaRejectedException($"The picture is {width}×{height} once decoded; at most {maxPixels} pixels are accepted.");
            var size = checked(width * height * 3);
            if (data.Length - position < size) throw new FormatException("truncated PPM frame");
            images.Add(new RgbImage(width, height, data.AsSpan(position, size).ToArray()));
            position += size;
        }
        return images;
    }

    private static int ReadHeaderNumber(byte[] data, ref int position)
    {
        while (position < data.Length && (char.IsWhiteSpace((char)data[position]) || data[position] == '#'))
        {
            if (data[position] == '#')
                while (position < data.Length && data[position] != '\n') position++;
            else position++;
        }
        var start = position;
        while (position < data.Length && data[position] is >= (byte)'0' and <= (byte)'9') position++;
        if (position == start) throw new FormatException("bad PPM header");
        return int.Parse(Encoding.ASCII.GetString(data, start, position - start), CultureInfo.InvariantCulture);
    }

    [GeneratedRegex(@"config in time_base: (\d+)/(\d+)")]
    private static partial Regex TimeBaseLine();

    [GeneratedRegex(@"\bn:\s*\d+\s+pts:\s*(-?\d+)")]
    private static partial Regex FrameLine();
}
