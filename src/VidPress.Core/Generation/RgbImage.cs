namespace VidPress.Core.Generation;

/// <summary>An 8-bit RGB picture, rows top to bottom, pixels interleaved R, G, B.</summary>
public sealed class RgbImage
{
    public RgbImage(int width, int height, byte[] rgb)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(width);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(height);
        ArgumentNullException.ThrowIfNull(rgb);
        if (rgb.Length != checked(width * height * 3)) throw new ArgumentException($"expected {width * height * 3} bytes for {width}x{height} RGB, got {rgb.Length}", nameof(rgb));
        Width = width;
        Height = height;
        Rgb = rgb;
    }

    public int Width { get; }
    public int Height { get; }
    public byte[] Rgb { get; }

    public (byte R, byte G, byte B) this[int x, int y]
    {
        get
        {
            var i = (y * Width + x) * 3;
            return (Rgb[i], Rgb[i + 1], Rgb[i + 2]);
        }
    }

    /// <summary>Converts planar CHW floats in [0, 1] (the decoder's layout) to bytes, rounding to nearest as PIL does after ×255.</summary>
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

    public void SavePng(string path) => File.WriteAllBytes(path, ToPng());

    public Task SavePngAsync(string path, CancellationToken cancellationToken = default) =>
        File.WriteAllBytesAsync(path, ToPng(), cancellationToken);
}
