using System.Buffers.Binary;
using VidPress.Core.Media;

namespace VidPress.Testing;

/// <summary>
/// Pictures stored turned, as phones store them, that are upright when read by their orientation: a four-colour
/// pattern (red top left, green top right, blue bottom left, white bottom right) whose reading tells every turn and
/// mirror apart. The stored pixels are the upright pattern put through the inverse of the orientation, computed here
/// pixel by pixel, and the EXIF bytes are written here too: nothing of the code under test makes them.
/// </summary>
public static class TurnedPictures
{
    /// <summary>The upright pattern's reading (<see cref="Read"/>).</summary>
    public const string UprightReading = "RGBW";

    public static RgbImage Upright(int width = 320, int height = 180)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var (r, g, b) = (x < width / 2, y < height / 2) switch
                {
                    (true, true) => (230, 20, 20),
                    (false, true) => (20, 210, 20),
                    (true, false) => (20, 20, 230),
                    _ => (240, 240, 240),
                };
                var i = (y * width + x) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = ((byte)r, (byte)g, (byte)b);
            }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>
    /// The stored picture of EXIF orientation <paramref name="orientation"/> whose display is <paramref name="upright"/>:
    /// the display of stored pixel (x, y) is given by the EXIF definitions (2 mirrors left-right, 6 turns a quarter
    /// clockwise …), so the stored picture is the upright one sent back through each.
    /// </summary>
    public static RgbImage Stored(RgbImage upright, int orientation)
    {
        int w = upright.Width, h = upright.Height;
        var swaps = orientation >= 5;
        var (sw, sh) = swaps ? (h, w) : (w, h);
        var pixels = new byte[sw * sh * 3];
        for (var sy = 0; sy < sh; sy++)
            for (var sx = 0; sx < sw; sx++)
            {
                // Where stored pixel (sx, sy) lands once displayed.
                var (dx, dy) = orientation switch
                {
                    2 => (w - 1 - sx, sy),
                    3 => (w - 1 - sx, h - 1 - sy),
                    4 => (sx, h - 1 - sy),
                    5 => (sy, sx),
                    6 => (w - 1 - sy, sx),
                    7 => (w - 1 - sy, h - 1 - sx),
                    8 => (sy, h - 1 - sx),
                    _ => (sx, sy),
                };
                var (r, g, b) = upright[dx, dy];
                var i = (sy * sw + sx) * 3;
                (pixels[i], pixels[i + 1], pixels[i + 2]) = (r, g, b);
            }
        return new RgbImage(sw, sh, pixels);
    }

    /// <summary>The colours at the centres of the four quarters, top left to bottom right: R, G, B, W or ? each.</summary>
    public static string Read(RgbImage picture)
    {
        ArgumentNullException.ThrowIfNull(picture);
        int w = picture.Width, h = picture.Height;
        return string.Concat(new[] { (w / 4, h / 4), (3 * w / 4, h / 4), (w / 4, 3 * h / 4), (3 * w / 4, 3 * h / 4) }.Select(p => Name(picture[p.Item1, p.Item2])));
    }

    private static char Name((byte R, byte G, byte B) p) => p switch
    {
        { R: > 170, G: > 170, B: > 170 } => 'W',
        { R: > 150, G: < 100, B: < 100 } => 'R',
        { G: > 140, R: < 100, B: < 100 } => 'G',
        { B: > 150, R: < 100, G: < 100 } => 'B',
        _ => '?',
    };

    /// <summary>TIFF-structured EXIF data holding one IFD0 entry: the orientation (tag 0x0112, a SHORT).</summary>
    public static byte[] ExifTiff(int orientation, bool littleEndian = false)
    {
        var tiff = new byte[26];
        if (littleEndian)
        {
            "II"u8.CopyTo(tiff);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(2), 42);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(4), 8);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(10), 0x0112);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(12), 3);
            BinaryPrimitives.WriteUInt32LittleEndian(tiff.AsSpan(14), 1);
            BinaryPrimitives.WriteUInt16LittleEndian(tiff.AsSpan(18), (ushort)orientation);
        }
        else
        {
            "MM"u8.CopyTo(tiff);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(2), 42);
            BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(4), 8);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(8), 1);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(10), 0x0112);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(12), 3);
            BinaryPrimitives.WriteUInt32BigEndian(tiff.AsSpan(14), 1);
            BinaryPrimitives.WriteUInt16BigEndian(tiff.AsSpan(18), (ushort)orientation);
        }
        return tiff; // next-IFD offset (bytes 22–25) stays 0
    }

    /// <summary>A JPEG with an APP1 "Exif" segment right after its start-of-image marker (where cameras put it).</summary>
    public static byte[] WithJpegExif(byte[] jpeg, int orientation, bool littleEndian = false)
    {
        ArgumentNullException.ThrowIfNull(jpeg);
        var payload = "Exif\0\0"u8.ToArray().Concat(ExifTiff(orientation, littleEndian)).ToArray();
        var segment = new byte[4 + payload.Length];
        segment[0] = 0xFF;
        segment[1] = 0xE1;
        BinaryPrimitives.WriteUInt16BigEndian(segment.AsSpan(2), (ushort)(payload.Length + 2));
        payload.CopyTo(segment, 4);
        return [.. jpeg.AsSpan(0, 2), .. segment, .. jpeg.AsSpan(2)];
    }

    /// <summary>A PNG with an eXIf chunk right after its IHDR.</summary>
    public static byte[] WithPngExif(byte[] png, int orientation)
    {
        ArgumentNullException.ThrowIfNull(png);
        var data = ExifTiff(orientation);
        var chunk = new byte[12 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(chunk, (uint)data.Length);
        "eXIf"u8.CopyTo(chunk.AsSpan(4));
        data.CopyTo(chunk, 8);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8 + data.Length), Crc(chunk.AsSpan(4, 4 + data.Length)));
        const int afterHeader = 8 + 25; // signature, then IHDR: length, type, 13 bytes, CRC
        return [.. png.AsSpan(0, afterHeader), .. chunk, .. png.AsSpan(afterHeader)];
    }

    /// <summary>The upright pattern stored as a JPEG of EXIF orientation <paramref name="orientation"/>, written to <paramref name="path"/>.</summary>
    public static async Task<string> JpegAsync(string path, int orientation, RgbImage? upright = null)
    {
        var stored = path + ".stored.png";
        await Stored(upright ?? Upright(), orientation).SavePngAsync(stored);
        var plain = path + ".plain.jpg";
        await Media.Ffmpeg("-i", stored, "-frames:v", "1", "-q:v", "2", plain);
        await File.WriteAllBytesAsync(path, WithJpegExif(await File.ReadAllBytesAsync(plain), orientation));
        File.Delete(plain);
        File.Delete(stored);
        return path;
    }

    /// <summary>The upright pattern stored as a PNG of EXIF orientation <paramref name="orientation"/> (eXIf chunk).</summary>
    public static async Task<string> PngAsync(string path, int orientation, RgbImage? upright = null)
    {
        await File.WriteAllBytesAsync(path, WithPngExif(Stored(upright ?? Upright(), orientation).ToPng(), orientation));
        return path;
    }

    /// <summary>
    /// Which EXIF orientation a phone-style display matrix written by ffmpeg's mp4 muxer from a "rotate" tag of
    /// <paramref name="degrees"/> stands for: ffprobe reads rotate=270 as "rotation -90", a phone's portrait video,
    /// shown turned a quarter clockwise (6); rotate=90 the other way (8).
    /// </summary>
    public static int OrientationOfRotateTag(int degrees) => degrees switch { 90 => 8, 180 => 3, 270 => 6, _ => 1 };

    /// <summary>
    /// A two-second H.264 clip of the upright pattern stored turned, with the display matrix of the mp4 "rotate" tag
    /// <paramref name="degrees"/> (what a phone writes), so that a player shows it upright.
    /// </summary>
    public static async Task<string> VideoAsync(string path, int degrees, RgbImage? upright = null)
    {
        var stored = path + ".stored.png";
        await Stored(upright ?? Upright(), OrientationOfRotateTag(degrees)).SavePngAsync(stored);
        var plain = path + ".plain.mp4";
        await Media.Ffmpeg("-loop", "1", "-i", stored, "-t", "2", "-r", "25", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", plain);
        await Media.Ffmpeg("-i", plain, "-c", "copy", "-metadata:s:v:0", $"rotate={degrees}", path);
        File.Delete(plain);
        File.Delete(stored);
        return path;
    }

    private static uint Crc(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
        }
        return crc ^ 0xFFFFFFFFu;
    }
}
