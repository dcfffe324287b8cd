using VidPress.Core.Library;
using VidPress.Core.Media;

namespace VidPress.UnitTests.Library;

public sealed class FrameQualityTests
{
    private static readonly QualityThresholds Defaults = new();

    [Fact]
    public void Black_frame_is_dark_flat_and_unusable()
    {
        var quality = FrameQuality.Measure(RgbImage.Filled(640, 360, 0, 0, 0));
        Assert.Equal(0, quality.Brightness);
        Assert.Equal(0, quality.Contrast);
        Assert.Equal(0, quality.Sharpness);
        Assert.False(quality.IsUsable(Defaults));
    }

    [Fact]
    public void Blank_bright_frame_is_unusable_for_lack_of_contrast()
    {
        var quality = FrameQuality.Measure(RgbImage.Filled(640, 360, 240, 200, 40));
        Assert.True(quality.Brightness > 0.6);
        Assert.False(quality.IsUsable(Defaults));
    }

    [Fact]
    public void Hard_edges_are_sharper_than_the_same_picture_blurred()
    {
        var sharp = Checkerboard(640, 360, cell: 40, blurRadius: 0);
        var blurred = Checkerboard(640, 360, cell: 40, blurRadius: 12);
        var a = FrameQuality.Measure(sharp);
        var b = FrameQuality.Measure(blurred);
        Assert.True(a.Sharpness > 10 * b.Sharpness, $"{a.Sharpness} vs {b.Sharpness}");
        Assert.True(a.IsUsable(Defaults));
        Assert.InRange(a.Brightness, 0.45, 0.55);
        Assert.InRange(a.Contrast, 0.45, 0.55);
    }

    [Fact]
    public void Sharpness_is_measured_at_a_fixed_analysis_width()
    {
        var small = FrameQuality.Measure(Checkerboard(320, 180, cell: 20, blurRadius: 0));
        var large = FrameQuality.Measure(Checkerboard(1280, 720, cell: 80, blurRadius: 0));
        Assert.Equal(small.Sharpness, large.Sharpness, 0);
    }

    /// <summary>A black and white checkerboard, optionally with its edges ramped over blurRadius pixels.</summary>
    private static RgbImage Checkerboard(int width, int height, int cell, int blurRadius)
    {
        var pixels = new byte[width * height * 3];
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                double value;
                if (blurRadius == 0) value = ((x / cell + y / cell) % 2) * 255;
                else
                {
                    // Smooth version: product of two triangle-ish waves, no hard edges.
                    var fx = Math.Sin(Math.PI * x / cell);
                    var fy = Math.Sin(Math.PI * y / cell);
                    value = 127.5 + 127.5 * Math.Clamp(fx * fy * cell / (2.0 * blurRadius), -1, 1);
                }
                var i = (y * width + x) * 3;
                pixels[i] = pixels[i + 1] = pixels[i + 2] = (byte)Math.Round(value);
            }
        return new RgbImage(width, height, pixels);
    }
}
