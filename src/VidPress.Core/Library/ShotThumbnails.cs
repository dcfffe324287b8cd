using System.Globalization;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;

namespace VidPress.Core.Library;

/// <summary>
/// Encodes keyframes as small JPEGs, in one ffmpeg run per asset, without ever reading the uploaded file again: a
/// picture's decoded pixels go to ffmpeg as raw RGB on stdin, a video's candidate keyframes as the JPEGs the scene
/// pass wrote.
/// </summary>
public sealed class ShotThumbnails(IOptions<MediaOptions> media, IOptions<IngestOptions> library)
{
    private readonly MediaOptions _media = media.Value;
    private readonly IngestOptions _library = library.Value;

    /// <summary>Writes the thumbnail of a picture (an image asset's one keyframe) into <paramref name="folder"/>.</summary>
    public async Task<string> WriteAsync(RgbImage picture, string folder, CancellationToken cancellationToken)
    {
        using var raw = new MemoryStream(picture.Pixels);
        return (await EncodeAsync(
            ["-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{picture.Width}x{picture.Height}", "-framerate", "1", "-i", "pipe:0"],
            1, folder, raw, cancellationToken))[0];
    }

    /// <summary>
    /// Writes one thumbnail per JPEG (a video's candidate keyframes) into <paramref name="folder"/>, in order. ffmpeg
    /// reads the files itself, one at a time, so memory does not grow with the number of shots.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteFromJpegsAsync(IReadOnlyList<string> jpegs, string folder, CancellationToken cancellationToken)
    {
        if (jpegs.Count == 0) return [];
        for (var n = 0; n < jpegs.Count; n++) File.Copy(jpegs[n], Numbered(Path.Combine(folder, "in-"), n));
        return await EncodeAsync(
            ["-protocol_whitelist", "file", "-f", "image2", "-framerate", "1", "-start_number", "0", "-i", Path.Combine(folder, "in-%05d.jpg")],
            jpegs.Count, folder, null, cancellationToken);
    }

    /// <summary>One ffmpeg run from <paramref name="input"/> to <paramref name="count"/> numbered thumbnails, checked to exist.</summary>
    private async Task<string[]> EncodeAsync(string[] input, int count, string folder, Stream? standardInput, CancellationToken cancellationToken)
    {
        var prefix = Path.Combine(folder, "thumb-");
        await ToolProcess.RunCheckedAsync(_media.FfmpegPath,
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y", .. input,
            "-vf", $"scale={_library.ThumbnailWidth.ToString(CultureInfo.InvariantCulture)}:-2:flags=area,format=yuvj420p",
            "-fps_mode", "passthrough", "-q:v", "4", "-start_number", "0", "-f", "image2", prefix + "%05d.jpg",
        ], _library.IngestToolTimeout, cancellationToken, standardInput);
        var paths = Enumerable.Range(0, count).Select(n => Numbered(prefix, n)).ToArray();
        foreach (var path in paths)
            if (!File.Exists(path)) throw new ToolFailedException(_media.FfmpegPath, "a thumbnail was not written");
        return paths;
    }

    private static string Numbered(string prefix, int n) => prefix + n.ToString("00000", CultureInfo.InvariantCulture) + ".jpg";
}
