using VidPress.Core.Embeddings;
using VidPress.Core.Media;

namespace VidPress.UnitTests.Embeddings;

public sealed class ClipImagePreprocessorTests
{
    private static readonly float[] Mean = [0.48145466f, 0.4578275f, 0.40821073f];
    private static readonly float[] Std = [0.26862954f, 0.26130258f, 0.27577711f];

    [Fact]
    public void Loads_the_model_folders_configuration()
    {
        var preprocessor = ClipImagePreprocessor.Load(TinyClip.Folder);

        Assert.Equal(224, preprocessor.CropWidth);
        Assert.Equal(224, preprocessor.CropHeight);
        Assert.Equal(3 * 224 * 224, preprocessor.ValuesPerImage);
    }

    [Theory]
    [InlineData(360, 320, 252, 224)]
    [InlineData(320, 320, 224, 224)]
    [InlineData(360, 240, 336, 224)]
    [InlineData(480, 240, 448, 224)]
    [InlineData(360, 270, 298, 224)]
    [InlineData(270, 360, 224, 298)]
    [InlineData(1920, 1080, 398, 224)]
    [InlineData(100, 50, 448, 224)]
    public void Shortest_side_becomes_224_and_the_long_side_is_truncated(int width, int height, int expectedWidth, int expectedHeight)
    {
        Assert.Equal((expectedWidth, expectedHeight), ClipImagePreprocessor.ResizedSize(width, height, 224));
    }

    [Theory]
    [InlineData(298, 224, 37, 0)]
    [InlineData(299, 224, 37, 0)]
    [InlineData(224, 225, 0, 0)]
    [InlineData(448, 224, 112, 0)]
    [InlineData(200, 224, -12, 0)]
    [InlineData(223, 224, -1, 0)]
    public void Centre_crop_offsets_floor_like_hugging_face(int width, int height, int left, int top)
    {
        Assert.Equal((left, top), ClipImagePreprocessor.CropOffset(width, height, 224, 224));
    }

    [Theory]
    [InlineData(360, 320, 252, 224)]
    [InlineData(100, 70, 320, 224)]
    [InlineData(1920, 1080, 398, 224)]
    public void Resizing_keeps_a_constant_colour_constant(int width, int height, int newWidth, int newHeight)
    {
        var resized = PilBicubic.Resize(RgbImage.Filled(width, height, 200, 17, 90), newWidth, newHeight);

        Assert.Equal((newWidth, newHeight), (resized.Width, resized.Height));
        for (var i = 0; i < resized.Pixels.Length; i += 3)
            Assert.Equal((200, 17, 90), (resized.Pixels[i], resized.Pixels[i + 1], resized.Pixels[i + 2]));
    }

    /// <summary>SHA-256 of Pillow 9.4's <c>Image.fromarray(a).resize((w, h), resample=3)</c> on the same pattern.</summary>
    [Theory]
    [InlineData(37, 23, 16, 11, "d48f24b7cb202345a1d19d383018f5ae82aeae34792ce60de67dcb7d3ced7482")]
    [InlineData(13, 9, 30, 20, "b0f4b88a1b7cac621f4ce7a5f38e90c4601f62bb809bfa383cca24977029f26b")]
    [InlineData(40, 10, 17, 10, "df92e05ce0ef1521969960c877742209aa510a9bd9be87716e041809337531bb")]
    [InlineData(10, 40, 10, 17, "ac8b6644d49928bb5795caf024d030976406f64e7848ba0126f61a8227b2b880")]
    [InlineData(300, 200, 224, 149, "e2375e372042fb53b9e9baac3d2de69d5d9336ea3d0e98534d36a4b2509966b8")]
    public void Resize_gives_the_same_bytes_as_pillow(int width, int height, int newWidth, int newHeight, string sha256)
    {
        // A busy pattern with hard wrap-arounds, so the cubic's overshoot is clipped and every rounding shows.
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
                for (var c = 0; c < 3; c++)
                    pixels[(y * width + x) * 3 + c] = (byte)((x * 37 + y * 91 + c * 53 + (x * y) % 17 * 11) % 256);

        var resized = PilBicubic.Resize(new RgbImage(width, height, pixels), newWidth, newHeight);

        Assert.Equal(sha256, Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(resized.Pixels)));
    }

    [Fact]
    public void Downscaling_a_two_colour_image_blends_only_at_the_boundary()
    {
        // Left half black, right half white, halved: antialiasing blends a band around the middle only.
        var pixels = new byte[64 * 8 * 3];
        for (var y = 0; y < 8; y++)
            for (var x = 32; x < 64; x++)
                pixels[(y * 64 + x) * 3] = pixels[(y * 64 + x) * 3 + 1] = pixels[(y * 64 + x) * 3 + 2] = 255;

        var resized = PilBicubic.Resize(new RgbImage(64, 8, pixels), 32, 4);

        Assert.Equal(0, resized[0, 0].R);
        Assert.Equal(0, resized[12, 3].R);
        Assert.Equal(255, resized[19, 0].R);
        Assert.Equal(255, resized[31, 3].R);
        Assert.InRange(resized[15, 2].R, 1, 254);
        Assert.InRange(resized[16, 2].R, 1, 254);
        // The cubic's negative lobes overshoot, and Pillow clips them to 0 and 255.
        Assert.Equal(resized[15, 2].R, 255 - resized[16, 2].R);
        // Rows stay identical because the input rows are.
        for (var x = 0; x < 32; x++) Assert.Equal(resized[x, 0], resized[x, 3]);
    }

    [Fact]
    public void Upscaling_a_single_dot_spreads_it_symmetrically()
    {
        var image = RgbImage.Filled(5, 5, 0, 0, 0);
        image.Pixels[(2 * 5 + 2) * 3] = 255;

        var resized = PilBicubic.Resize(image, 10, 10);

        for (var y = 0; y < 10; y++)
            for (var x = 0; x < 10; x++)
            {
                Assert.Equal(resized[x, y].R, resized[9 - x, y].R);
                Assert.Equal(resized[x, y].R, resized[x, 9 - y].R);
                Assert.Equal(0, resized[x, y].G);
            }
        Assert.True(resized[4, 4].R > 150);
        Assert.Equal(0, resized[0, 0].R);
    }

    [Fact]
    public void A_constant_image_normalises_to_the_clip_formula_in_channel_major_order()
    {
        var preprocessor = ClipImagePreprocessor.Load(TinyClip.Folder);

        var values = preprocessor.Preprocess(RgbImage.Filled(300, 250, 126, 0, 255));

        Assert.Equal(3 * 224 * 224, values.Length);
        byte[] rgb = [126, 0, 255];
        for (var c = 0; c < 3; c++)
        {
            var expected = (rgb[c] / 255.0 - Mean[c]) / Std[c];
            var plane = values.AsSpan(c * 224 * 224, 224 * 224).ToArray();
            Assert.All(plane, v => Assert.Equal(expected, v, 5));
        }
    }

    [Fact]
    public void The_crop_takes_the_centre_of_the_resized_image()
    {
        // 448x224 stays 448x224; a white column at x = 112 is the crop's first column, one at 111 is cut away.
        var image = RgbImage.Filled(448, 224, 0, 0, 0);
        for (var y = 0; y < 224; y++) image.Pixels[(y * 448 + 112) * 3] = 255;

        var values = ClipImagePreprocessor.Load(TinyClip.Folder).Preprocess(image);

        var white = (1.0 - Mean[0]) / Std[0];
        var black = (0.0 - Mean[0]) / Std[0];
        Assert.Equal(white, values[0], 5);
        Assert.Equal(white, values[223 * 224], 5);
        Assert.Equal(black, values[1], 5);
    }
}
