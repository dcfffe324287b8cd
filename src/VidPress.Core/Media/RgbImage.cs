namespace VidPress.Core.Media;

/// <summary>A decoded picture: <see cref="Width"/> × <see cref="Height"/> pixels, rows top to bottom, interleaved R, G, B bytes.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] pixels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentNullException.ThrowIfNull(pixels);
        if (pixels.LongLength != (long)width * height * 3)
            throw new ArgumentException($"expected {(long)width * height * 3} bytes for {width}x{height} rgb24, got {pixels.Length}", nameof(pixels));
        Width = width;
        Height = height;
        Pixels = pixels;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Pixels { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 3;
            return (Pixels[i], Pixels[i + 1], Pixels[i + 2]);
        }
    }

    /// <summary>Converts planar CHW floats in [0, 1] (a VAE decoder's layout) to bytes, rounding half to even as numpy does after ×255.</summary>
    public static RgbImage FromPlanar(ReadOnlySpan<float> chw, int width, int height)
    {
        var plane = width * height;
        if (chw.Length != plane * 3) throw new ArgumentException($"expected {plane * 3} values, got {chw.Length}", nameof(chw));
        var rgb = new byte[plane * 3];
        for (var c = 0; c < 3; c++)
            for (var p = 0; p < plane; p++)
                rgb[p * 3 + c] = (byte)Math.Clamp(MathF.Round(chw[c * plane + p] * 255f, MidpointRounding.ToEven), 0f, 255f);
        return new RgbImage(width, height, rgb);
    }

    public byte[] ToPng() => PngEncoder.Encode(this);

    public Task SavePngAsync(string path, CancellationToken cancellationToken = default) =>
        File.WriteAllBytesAsync(path, ToPng(), cancellationToken);

    /// <summary>An image of one colour, for tests and placeholders.</summary>
    public static RgbImage Filled(int width, int height, byte r, byte g, byte b)
    {
        var pixels = new byte[width * height * 3];
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = r;
            pixels[i + 1] = g;
            pixels[i + 2] = b;
        }
        return new RgbImage(width, height, pixels);
    }
}
