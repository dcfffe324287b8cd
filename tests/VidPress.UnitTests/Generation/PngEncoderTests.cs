using VidPress.Core.Generation;
using VidPress.Core.Media;

namespace VidPress.UnitTests.Generation;

public class PngEncoderTests
{
    [Fact]
    public void Png_round_trips_through_an_independent_decoder()
    {
        var rgb = new byte[7 * 5 * 3];
        for (var i = 0; i < rgb.Length; i++) rgb[i] = (byte)(i * 37 + 11);
        var image = new RgbImage(7, 5, rgb);

        var (width, height, decoded) = TestPngDecoder.Decode(image.ToPng());

        Assert.Equal(7, width);
        Assert.Equal(5, height);
        Assert.Equal(rgb, decoded);
    }

    [Fact]
    public void Png_header_declares_8_bit_truecolour()
    {
        var png = new RgbImage(3, 2, new byte[18]).ToPng();
        Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
        Assert.Equal(new byte[] { 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0 }, png[16..29]);
        Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
    }

    [Fact]
    public void Crc32_matches_the_standard_check_value()
    {
        // The CRC-32 catalogue's check value for "123456789".
        Assert.Equal(0xCBF43926u, PngEncoder.Crc32.Compute("123456789"u8));
    }

    [Fact]
    public void Planar_floats_round_to_nearest_byte_and_clamp()
    {
        float[] chw = [0f, 1f, /* G */ 0.5f, 2f, /* B */ -1f, 0.2f];
        var image = RgbImage.FromPlanar(chw, 2, 1);
        Assert.Equal(new byte[] { 0, 128, 0, 255, 255, 51 }, image.Pixels);
    }
}
