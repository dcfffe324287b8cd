using System.Globalization;

namespace VidPress.Core.Media;

/// <summary>ffmpeg/ffprobe and what an uploaded file may be; bound from the "Media" section.</summary>
public sealed class MediaOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Media";

    [Set]
    public string FfmpegPath { get; set; } = "ffmpeg";
    [Set]
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
    [AtLeast(1)]
    public long MaxPixels { get; set; } = 4096L * 4096;
    [AtLeast(1)]
    public double MaxDurationSeconds { get; set; } = 3 * 60 * 60;
    [Between(1, 64)]
    public int MaxStreams { get; set; } = 8;
    [Duration("00:00:01", "01:00:00")]
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// The most frames per second a video may carry, over its whole declared duration: with <see cref="DecodeLimitSeconds"/>
    /// it bounds the frames of a file whose timestamps stand still (all zero), which no time limit would stop.
    /// </summary>
    [Between(1, 1000)]
    public double MaxFrameRate { get; set; } = 240;

    /// <summary>
    /// How far a file's packets, frames or samples may run past the duration its header declares before it is refused:
    /// 2 s plus 5 % (encoders round, and B-frames and audio priming end a little after the stated end). A header that
    /// claims 60 s over hours of frames is how one small upload made the service decode gigabytes.
    /// </summary>
    public static double DecodeLimitSeconds(double declaredSeconds) => declaredSeconds + declaredSeconds / 20 + 2;

    /// <summary>The most frames a file declaring <paramref name="declaredSeconds"/> may hold (see <see cref="MaxFrameRate"/>).</summary>
    public long MaxFramesFor(double declaredSeconds) => (long)Math.Ceiling(DecodeLimitSeconds(declaredSeconds) * Math.Max(1, MaxFrameRate));

    /// <summary>The input options every ffmpeg/ffprobe run on a library file starts with.</summary>
    public static IReadOnlyList<string> SafeInputOptionsFor(IEnumerable<string> allowedFormats) =>
        ["-protocol_whitelist", "file", "-format_whitelist", string.Join(',', allowedFormats)];

    /// <summary>
    /// The same, and the decoders told to refuse any picture over <paramref name="maxPixels"/>: what a frame decodes to,
    /// not what the container's header says, is what ffmpeg allocates.
    /// </summary>
    public static IReadOnlyList<string> SafeInputOptionsFor(IEnumerable<string> allowedFormats, long maxPixels) =>
        [.. SafeInputOptionsFor(allowedFormats), "-max_pixels", maxPixels.ToString(CultureInfo.InvariantCulture)];

    /// <summary>The JSON of one ffprobe run is a few KB per stream; more than this is not a file to accept.</summary>
    internal const long MaxProbeOutputBytes = 1024 * 1024;

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        // The list goes to ffmpeg's -format_whitelist: a comma or a blank would let one entry name several formats.
        if (AllowedFormats.Length == 0 || AllowedFormats.Any(f => string.IsNullOrWhiteSpace(f) || !f.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
            yield return new("must list ffmpeg demuxer names (letters, digits and _).", [nameof(AllowedFormats)]);
    }
}
