using System.Buffers.Binary;
using System.Text.Json;
using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.UnitTests.Media;

public sealed class PictureOrientationTests
{
    private static readonly byte[] Png = RgbImage.Filled(4, 2, 10, 20, 30).ToPng();

    /// <summary>A baseline JPEG's first markers: SOI, an APP0 (JFIF) segment, then a quantisation table and the scan.</summary>
    private static readonly byte[] Jpeg =
    [
        0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, (byte)'J', (byte)'F', (byte)'I', (byte)'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0,
        0xFF, 0xDB, 0x00, 0x03, 0x00, 0xFF, 0xDA, 0x00, 0x02, 0xFF, 0xD9,
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Every_exif_orientation_is_read_from_jpeg_in_either_byte_order_and_from_png(int orientation)
    {
        Assert.Equal(orientation, PictureOrientation.FromStill(TurnedPictures.WithJpegExif(Jpeg, orientation)));
        Assert.Equal(orientation, PictureOrientation.FromStill(TurnedPictures.WithJpegExif(Jpeg, orientation, littleEndian: true)));
        Assert.Equal(orientation, PictureOrientation.FromStill(TurnedPictures.WithPngExif(Png, orientation)));
    }

    [Fact]
    public void Exif_after_other_segments_and_in_webp_and_tiff_is_read()
    {
        // An APP1 behind the JFIF APP0, as many editors write it.
        var app1 = TurnedPictures.WithJpegExif([0xFF, 0xD8, 0xFF, 0xD9], 6)[2..^2];
        byte[] late = [.. Jpeg[..20], .. app1, .. Jpeg[20..]];
        Assert.Equal(6, PictureOrientation.FromStill(late));

        // An extended WebP: VP8X, then an EXIF chunk (with and without the "Exif\0\0" some writers put first).
        static byte[] Chunk(string type, byte[] data)
        {
            var chunk = new byte[8 + data.Length + (data.Length & 1)];
            System.Text.Encoding.ASCII.GetBytes(type).CopyTo(chunk, 0);
            BinaryPrimitives.WriteUInt32LittleEndian(chunk.AsSpan(4), (uint)data.Length);
            data.CopyTo(chunk, 8);
            return chunk;
        }
        static byte[] Webp(byte[] exif)
        {
            byte[] body = [.. "WEBP"u8, .. Chunk("VP8X", new byte[10]), .. Chunk("EXIF", exif)];
            var riff = new byte[8 + body.Length];
            "RIFF"u8.CopyTo(riff);
            BinaryPrimitives.WriteUInt32LittleEndian(riff.AsSpan(4), (uint)body.Length);
            body.CopyTo(riff, 8);
            return riff;
        }
        Assert.Equal(8, PictureOrientation.FromStill(Webp(TurnedPictures.ExifTiff(8, littleEndian: true))));
        Assert.Equal(3, PictureOrientation.FromStill(Webp([.. "Exif\0\0"u8, .. TurnedPictures.ExifTiff(3)])));

        // A TIFF file's own first IFD.
        Assert.Equal(5, PictureOrientation.FromStill(TurnedPictures.ExifTiff(5, littleEndian: true)));
    }

    [Fact]
    public void Pictures_without_exif_or_with_broken_or_out_of_range_exif_are_upright()
    {
        Assert.Equal(1, PictureOrientation.FromStill(Jpeg));
        Assert.Equal(1, PictureOrientation.FromStill(Png));
        Assert.Equal(1, PictureOrientation.FromStill([]));
        Assert.Equal(1, PictureOrientation.FromStill("GIF89a"u8));
        Assert.Equal(1, PictureOrientation.FromStill(TurnedPictures.WithJpegExif(Jpeg, 9)));
        Assert.Equal(1, PictureOrientation.FromStill(TurnedPictures.WithJpegExif(Jpeg, 0)));
        // Cut short inside the EXIF segment, or an IFD offset pointing past the end.
        var full = TurnedPictures.WithJpegExif(Jpeg, 6);
        for (var length = 3; length < 30; length++) Assert.Equal(1, PictureOrientation.FromStill(full.AsSpan(0, length)));
        var farIfd = TurnedPictures.ExifTiff(6);
        BinaryPrimitives.WriteUInt32BigEndian(farIfd.AsSpan(4), 100_000);
        Assert.Equal(1, PictureOrientation.FromStill(farIfd));
    }

    [Fact]
    public void Quarter_turned_orientations_swap_the_sides_and_each_has_its_filter()
    {
        Assert.Equal((1080, 1920), PictureOrientation.UprightSize(1920, 1080, 6));
        Assert.Equal((1920, 1080), PictureOrientation.UprightSize(1920, 1080, 3));
        Assert.Equal((1920, 1080), PictureOrientation.UprightSize(1920, 1080, null));
        Assert.Null(PictureOrientation.Filter(1));
        Assert.Null(PictureOrientation.Filter(null));
        Assert.Equal(7, Enumerable.Range(2, 7).Select(o => PictureOrientation.Filter(o)).Distinct().Count());
        Assert.Empty(PictureOrientation.InputOptions(null));
        Assert.Equal(["-noautorotate"], PictureOrientation.InputOptions(1));
    }

    private const int One = 65536, W = 1 << 30;

    [Theory]
    // A phone's portrait video: ffprobe "rotation: -90", shown turned a quarter clockwise.
    [InlineData(new[] { 0, One, 0, -One, 0, 0, 0, 0, W }, 6)]
    // ffmpeg's own mp4 "rotate=90": "rotation: 90", shown turned a quarter anticlockwise.
    [InlineData(new[] { 0, -One, 0, One, 0, 0, 0, 0, W }, 8)]
    [InlineData(new[] { -One, 0, 0, 0, -One, 0, 0, 0, W }, 3)]
    [InlineData(new[] { One, 0, 0, 0, One, 0, 0, 0, W }, 1)]
    // Mirrors, as ffmpeg's autorotation reads them.
    [InlineData(new[] { -One, 0, 0, 0, One, 0, 0, 0, W }, 2)]
    [InlineData(new[] { One, 0, 0, 0, -One, 0, 0, 0, W }, 4)]
    [InlineData(new[] { 0, One, 0, One, 0, 0, 0, 0, W }, 5)]
    [InlineData(new[] { 0, -One, 0, -One, 0, 0, 0, 0, W }, 7)]
    // 45 degrees is no quarter turn: left as stored.
    [InlineData(new[] { 46341, -46341, 0, 46341, 46341, 0, 0, 0, W }, 1)]
    [InlineData(new[] { 0, 0, 0, 0, 0, 0, 0, 0, 0 }, 1)]
    public void Display_matrices_read_as_ffmpeg_turns_them(int[] matrix, int orientation) =>
        Assert.Equal(orientation, PictureOrientation.FromDisplayMatrix(matrix));

    [Fact]
    public void The_display_matrix_is_read_from_ffprobe_json()
    {
        const string json = """
            {"codec_type":"video","side_data_list":[{"side_data_type":"Display Matrix",
             "displaymatrix":"\n00000000:            0       65536           0\n00000001:       -65536           0           0\n00000002:            0           0  1073741824\n",
             "rotation":-90}]}
            """;
        Assert.Equal(6, PictureOrientation.FromVideoStream(JsonDocument.Parse(json).RootElement));
        Assert.Equal(1, PictureOrientation.FromVideoStream(JsonDocument.Parse("""{"codec_type":"video"}""").RootElement));
        Assert.Equal(1, PictureOrientation.FromVideoStream(JsonDocument.Parse("""{"side_data_list":[{"displaymatrix":"garbage"}]}""").RootElement));
    }
}
