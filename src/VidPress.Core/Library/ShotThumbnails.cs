using System.Globalization;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;

namespace VidPress.Core.Library;

/// <summary>
/// Encodes keyframes as small JPEGs, in one ffmpeg run per asset, without ever reading the uploaded file again: a
/// picture's decoded pixels go to ffmpeg as raw RGB on stdin, a video's candidate keyframes as the JPEGs the scene
/// pass wrote.
/// </summary>
public sealed class ShotThumbnails(IOptions<MediaOptions> media, IOptions<LibraryOptions> library)
{
    private readonly MediaOptions _media = media.Value;
    private readonly LibraryOptions _library = library.Value;

    /// <summary>Writes one JPEG per picture into <paramref name="folder"/> and returns their paths, in order.</summary>
    public async Task<IReadOnlyList<string>> WriteAsync(IReadOnlyList<RgbImage> pictures, string folder, CancellationToken cancellationToken)
    {
        var paths = new string[pictures.Count];
        // Raw video has one frame size per run; keyframes of one asset share it unless the stream changes size.
        foreach (var group in pictures.Select((p, i) => (p, i)).GroupBy(x => (x.p.Width, x.p.Height)))
        {
            var items = group.ToList();
            var prefix = Path.Combine(folder, $"thumb-{group.Key.Width}x{group.Key.Height}-");
            using var raw = new MemoryStream(items.Sum(x => x.p.Pixels.Length));
            foreach (var (picture, _) in items) raw.Write(picture.Pixels);
            raw.Position = 0;
            await ToolProcess.RunCheckedAsync(_media.FfmpegPath,
            [
                "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", $"{group.Key.Width}x{group.Key.Height}", "-framerate", "1", "-i", "pipe:0",
                "-vf", $"scale={_library.ThumbnailWidth.ToString(CultureInfo.InvariantCulture)}:-2:flags=area,format=yuvj420p",
                "-q:v", "4", "-start_number", "0", "-f", "image2", prefix + "%05d.jpg",
            ], _library.IngestToolTimeout, cancellationToken, raw);
            for (var n = 0; n < items.Count; n++) paths[items[n].i] = prefix + n.ToString("00000", CultureInfo.InvariantCulture) + ".jpg";
        }
        return Written(paths);
    }

    /// <summary>
    /// Writes one thumbnail per JPEG (a video's candidate keyframes) into <paramref name="folder"/>, in order. ffmpeg
    /// reads the files itself, one at a time, so memory does not grow with the number of shots.
    /// </summary>
    public async Task<IReadOnlyList<string>> WriteFromJpegsAsync(IReadOnlyList<string> jpegs, string folder, CancellationToken cancellationToken)
    {
        if (jpegs.Count == 0) return [];
        for (var n = 0; n < jpegs.Count; n++)
            File.Copy(jpegs[n], Path.Combine(folder, "in-" + n.ToString("00000", CultureInfo.InvariantCulture) + ".jpg"));
        var prefix = Path.Combine(folder, "thumb-");
        await ToolProcess.RunCheckedAsync(_media.FfmpegPath,
        [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-y", "-protocol_whitelist", "file",
            "-f", "image2", "-framerate", "1", "-start_number", "0", "-i", Path.Combine(folder, "in-%05d.jpg"),
            "-vf", $"scale={_library.ThumbnailWidth.ToString(CultureInfo.InvariantCulture)}:-2:flags=area,format=yuvj420p",
            "-fps_mode", "passthrough", "-q:v", "4", "-start_number", "0", "-f", "image2", prefix + "%05d.jpg",
        ], _library.IngestToolTimeout, cancellationToken);
        return Written(Enumerable.Range(0, jpegs.Count).Select(n => prefix + n.ToString("00000", CultureInfo.InvariantCulture) + ".jpg").ToArray());
    }

    private string[] Written(string[] paths)
    {
        foreach (var path in paths)
            if (!File.Exists(path)) throw new ToolFailedException(_media.FfmpegPath, "a thumbnail was not written");
        return paths;
    }
}
