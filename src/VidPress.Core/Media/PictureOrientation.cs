using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace VidPress.Core.Media;

/// <summary>
/// How a stored picture is turned to be seen upright, in the EXIF orientation's codes: 1 upright, 2 mirrored, 3 upside
/// down, 4 mirrored upside down, 5 transposed, 6 turned a quarter clockwise to be seen, 7 transverse, 8 turned a
/// quarter anticlockwise. A phone photo says it in its EXIF (JPEG APP1, PNG eXIf, WebP EXIF, TIFF IFD0); a phone
/// video in its display matrix (ffprobe's side data). Every tool run that reads a library file's pixels turns off
/// ffmpeg's own rotation (<c>-noautorotate</c>: which formats it honours differs between versions: 5.1 turns JPEGs and
/// videos but not PNGs) and applies <see cref="Filter"/> instead, so every format and version reads the same upright
/// picture. An asset stored before orientations were recorded has none (null) and is read as ffmpeg shows it.
/// </summary>
public static partial class PictureOrientation
{
    public const int Upright = 1;

    /// <summary>The input options for reading a file of this orientation: ffmpeg's rotation off when the service does it.</summary>
    public static IReadOnlyList<string> InputOptions(int? orientation) => orientation is null ? [] : ["-noautorotate"];

    /// <summary>The filters that turn the stored picture upright, or null when it already is (or is not known).</summary>
    public static string? Filter(int? orientation) => orientation switch
    {
        2 => "hflip",
        3 => "hflip,vflip",
        4 => "vflip",
        5 => "transpose=cclock_flip",
        6 => "transpose=clock",
        7 => "transpose=clock_flip",
        8 => "transpose=cclock",
        _ => null,
    };

    /// <summary>Whether the upright picture's width is the stored picture's height (orientations 5–8).</summary>
    public static bool SwapsSides(int? orientation) => orientation is >= 5 and <= 8;

    /// <summary>The size of the upright picture.</summary>
    public static (int Width, int Height) UprightSize(int width, int height, int? orientation) =>
        SwapsSides(orientation) ? (height, width) : (width, height);

    /// <summary>A still's orientation from its file's EXIF; <see cref="Upright"/> when it has none. Reads at most the first 4 MB.</summary>
    public static int ReadFromStill(string path)
    {
        using var file = File.OpenRead(path);
        var buffer = new byte[(int)Math.Min(file.Length, 4 * 1024 * 1024)];
        file.ReadExactly(buffer);
        return FromStill(buffer);
    }

    /// <summary>The orientation an image file's own bytes declare (JPEG, PNG, WebP, TIFF); <see cref="Upright"/> for anything else.</summary>
    public static int FromStill(ReadOnlySpan<byte> data)
    {
        var found = data switch
        {
            [0xFF, 0xD8, ..] => FromJpeg(data),
            [0x89, (byte)'P', (byte)'N', (byte)'G', ..] => FromPng(data),
            [(byte)'R', (byte)'I', (byte)'F', (byte)'F', _, _, _, _, (byte)'W', (byte)'E', (byte)'B', (byte)'P', ..] => FromWebp(data),
            [(byte)'I', (byte)'I', 42, 0, ..] or [(byte)'M', (byte)'M', 0, 42, ..] => FromTiff(data),
            _ => null,
        };
        return found is >= 1 and <= 8 ? found.Value : Upright;
    }

    /// <summary>The APP1 "Exif" segment among the markers before the picture data.</summary>
    private static int? FromJpeg(ReadOnlySpan<byte> data)
    {
        var position = 2;
        while (position + 4 <= data.Length && data[position] == 0xFF)
        {
            var marker = data[position + 1];
            if (marker == 0xFF) { position++; continue; }
            if (marker is 0xD9 or 0xDA) return null; // end of image, start of scan: no EXIF before the pixels
            if (marker is 0x01 or (>= 0xD0 and <= 0xD7)) { position += 2; continue; }
            var length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 2)..]);
            if (length < 2 || position + 2 + length > data.Length) return null;
            var segment = data.Slice(position + 4, length - 2);
            if (marker == 0xE1 && segment.StartsWith("Exif\0\0"u8)) return FromTiff(segment[6..]);
            position += 2 + length;
        }
        return null;
    }

    /// <summary>The eXIf chunk (raw TIFF data) before the first IDAT.</summary>
    private static int? FromPng(ReadOnlySpan<byte> data)
    {
        var position = 8;
        while (position + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32BigEndian(data[position..]);
            var type = data.Slice(position + 4, 4);
            if (length > int.MaxValue || position + 12L + length > data.Length) return null;
            if (type.SequenceEqual("eXIf"u8)) return FromTiff(data.Slice(position + 8, (int)length));
            if (type.SequenceEqual("IDAT"u8) || type.SequenceEqual("IEND"u8)) return null;
            position += 12 + (int)length;
        }
        return null;
    }

    /// <summary>The EXIF chunk of an extended (VP8X) WebP; some writers put "Exif\0\0" before the TIFF data.</summary>
    private static int? FromWebp(ReadOnlySpan<byte> data)
    {
        var position = 12;
        while (position + 8 <= data.Length)
        {
            var length = BinaryPrimitives.ReadUInt32LittleEndian(data[(position + 4)..]);
            if (length > int.MaxValue || position + 8L + length > data.Length) return null;
            var chunk = data.Slice(position + 8, (int)length);
            if (data.Slice(position, 4).SequenceEqual("EXIF"u8))
                return FromTiff(chunk.StartsWith("Exif\0\0"u8) ? chunk[6..] : chunk);
            position += 8 + (int)length + (int)(length & 1);
        }
        return null;
    }

    /// <summary>Tag 0x0112 (a SHORT) of the first IFD of TIFF-structured data.</summary>
    private static int? FromTiff(ReadOnlySpan<byte> tiff)
    {
        if (tiff.Length < 8) return null;
        bool little;
        if (tiff[0] == 'I' && tiff[1] == 'I') little = true;
        else if (tiff[0] == 'M' && tiff[1] == 'M') little = false;
        else return null;
        if (U16(tiff, 2, little) != 42) return null;
        var ifd = U32(tiff, 4, little);
        if (ifd > tiff.Length - 2) return null;
        var entries = U16(tiff, (int)ifd, little);
        for (var i = 0; i < entries; i++)
        {
            var entry = (int)ifd + 2 + i * 12;
            if (entry + 12 > tiff.Length) return null;
            if (U16(tiff, entry, little) == 0x0112 && U16(tiff, entry + 2, little) == 3) return U16(tiff, entry + 8, little);
        }
        return null;
    }

    private static ushort U16(ReadOnlySpan<byte> data, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt16LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt16BigEndian(data[at..]);

    private static uint U32(ReadOnlySpan<byte> data, int at, bool little) =>
        little ? BinaryPrimitives.ReadUInt32LittleEndian(data[at..]) : BinaryPrimitives.ReadUInt32BigEndian(data[at..]);

    /// <summary>
    /// A video stream's orientation from ffprobe's JSON of it (<c>side_data_list</c>, "Display Matrix"), read the way
    /// ffmpeg's own rotation reads it: quarter turns and mirrors; any other angle is left as stored.
    /// </summary>
    public static int FromVideoStream(JsonElement stream)
    {
        if (!stream.TryGetProperty("side_data_list", out var list) || list.ValueKind != JsonValueKind.Array) return Upright;
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Object || !item.TryGetProperty("displaymatrix", out var text) || text.ValueKind != JsonValueKind.String) continue;
            return ParseDisplayMatrix(text.GetString()!) is { } matrix ? FromDisplayMatrix(matrix) : Upright;
        }
        return Upright;
    }

    /// <summary>ffprobe's display matrix text: three lines "0000000n: a b c" of 32-bit values (16.16 and 2.30 fixed point).</summary>
    internal static int[]? ParseDisplayMatrix(string text)
    {
        var values = MatrixRow().Matches(text)
            .SelectMany(m => new[] { m.Groups[1].Value, m.Groups[2].Value, m.Groups[3].Value })
            .Select(v => int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : (int?)null).ToList();
        return values.Count == 9 && values.All(v => v is not null) ? values.Select(v => v!.Value).ToArray() : null;
    }

    /// <summary>
    /// The orientation of a display matrix, as ffmpeg's command line turns it (fftools, "autorotate"): the clockwise
    /// angle θ = atan2(m1, m0) in whole degrees, then for a quarter turn m3's sign tells a mirror.
    /// </summary>
    public static int FromDisplayMatrix(IReadOnlyList<int> m)
    {
        ArgumentNullException.ThrowIfNull(m);
        if (m.Count != 9) throw new ArgumentException("a display matrix has 9 values", nameof(m));
        var scale0 = Math.Sqrt((double)m[0] * m[0] + (double)m[3] * m[3]);
        var scale1 = Math.Sqrt((double)m[1] * m[1] + (double)m[4] * m[4]);
        if (scale0 == 0 || scale1 == 0) return Upright;
        var theta = Math.Round(Math.Atan2(m[1] / scale1, m[0] / scale0) * 180 / Math.PI);
        theta -= 360 * Math.Floor(theta / 360 + 0.9 / 360);
        if (Math.Abs(theta - 90) < 1) return m[3] > 0 ? 5 : 6;
        if (Math.Abs(theta - 270) < 1) return m[3] < 0 ? 7 : 8;
        if (Math.Abs(theta - 180) < 1) return (m[0] < 0, m[4] < 0) switch { (true, true) => 3, (true, false) => 2, (false, true) => 4, _ => Upright };
        return Math.Abs(theta) < 1 && m[4] < 0 ? 4 : Upright;
    }

    [GeneratedRegex(@"^\s*[0-9a-fA-F]{8}:\s*(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$", RegexOptions.Multiline)]
    private static partial Regex MatrixRow();
}
