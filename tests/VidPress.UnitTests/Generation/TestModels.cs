using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json;

namespace VidPress.UnitTests.Generation;

/// <summary>Locates the repository's model copies; tests must never read the shared folder outside the repository.</summary>
internal static class TestModels
{
    public static string RepoRoot => Repository.Root;
    public static string TinySd => Path.Combine(RepoRoot, "models", "tiny-sd");
    public static string TinyClip => Path.Combine(RepoRoot, "models", "tiny-clip");
}

/// <summary>The recorded run in models/tiny-sd/reference.json.</summary>
public sealed class SdReference
{
    private SdReference(JsonElement root)
    {
        Prompt = root.GetProperty("prompt").GetString()!;
        NegativePrompt = root.GetProperty("negative_prompt").GetString()!;
        Steps = root.GetProperty("steps").GetInt32();
        GuidanceScale = root.GetProperty("guidance_scale").GetSingle();
        PromptIds = Ints(root.GetProperty("prompt_ids"));
        NegativeIds = Ints(root.GetProperty("negative_ids"));
        InitialNoise = Floats(root.GetProperty("initial_noise"));
        Timesteps = Floats(root.GetProperty("timesteps"));
        Sigmas = Floats(root.GetProperty("sigmas"));
        InitNoiseSigma = root.GetProperty("init_noise_sigma").GetSingle();
        FinalLatents = Floats(root.GetProperty("final_latents"));
        ChannelMeans = Floats(root.GetProperty("image_channel_means"));
        CenterPixel = Floats(root.GetProperty("image_center_pixel_rgb"));
        FirstPixels = root.GetProperty("image_first_pixels_rgb").EnumerateArray().Select(Floats).ToArray();
    }

    public string Prompt { get; }
    public string NegativePrompt { get; }
    public int Steps { get; }
    public float GuidanceScale { get; }
    public int[] PromptIds { get; }
    public int[] NegativeIds { get; }
    public float[] InitialNoise { get; }
    public float[] Timesteps { get; }
    public float[] Sigmas { get; }
    public float InitNoiseSigma { get; }
    public float[] FinalLatents { get; }
    /// <summary>Pixel values in [0, 1] (decoder/2 + 0.5 clipped), not bytes.</summary>
    public float[] ChannelMeans { get; }
    public float[] CenterPixel { get; }
    public float[][] FirstPixels { get; }

    public static SdReference Load()
    {
        using var doc = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(TestModels.TinySd, "reference.json")));
        return new SdReference(doc.RootElement);
    }

    private static int[] Ints(JsonElement e) => e.EnumerateArray().Select(v => v.GetInt32()).ToArray();
    private static float[] Floats(JsonElement e) => e.EnumerateArray().Select(v => v.GetSingle()).ToArray();
}

/// <summary>A test-only PNG reader for 8-bit RGB and RGBA, non-interlaced, all five filters: enough to check our encoder and read reference.png.</summary>
internal static class TestPngDecoder
{
    public static (int Width, int Height, byte[] Rgb) Decode(byte[] png)
    {
        byte[] signature = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A];
        Assert.Equal(signature, png[..8]);
        int width = 0, height = 0, channels = 0;
        using var idat = new MemoryStream();
        var offset = 8;
        while (offset < png.Length)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(offset));
            var type = System.Text.Encoding.ASCII.GetString(png, offset + 4, 4);
            var data = png.AsSpan(offset + 8, length);
            var crc = BinaryPrimitives.ReadUInt32BigEndian(png.AsSpan(offset + 8 + length));
            Assert.Equal(BitwiseCrc32(png.AsSpan(offset + 4, 4 + length)), crc);
            if (type == "IHDR")
            {
                width = BinaryPrimitives.ReadInt32BigEndian(data);
                height = BinaryPrimitives.ReadInt32BigEndian(data[4..]);
                Assert.Equal(8, data[8]);
                channels = data[9] switch { 2 => 3, 6 => 4, var t => throw new NotSupportedException($"colour type {t}") };
                Assert.Equal(0, data[12]);
            }
            else if (type == "IDAT") idat.Write(data);
            else if (type == "IEND") break;
            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new MemoryStream();
        using (var z = new ZLibStream(idat, CompressionMode.Decompress)) z.CopyTo(inflated);
        var raw = inflated.ToArray();
        var stride = width * channels;
        Assert.Equal((stride + 1) * height, raw.Length);
        var pixels = new byte[stride * height];
        for (var y = 0; y < height; y++)
        {
            var filter = raw[y * (stride + 1)];
            for (var x = 0; x < stride; x++)
            {
                int a = x >= channels ? pixels[y * stride + x - channels] : 0;
                int b = y > 0 ? pixels[(y - 1) * stride + x] : 0;
                int c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels] : 0;
                int predictor = filter switch
                {
                    0 => 0,
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => throw new InvalidDataException($"filter {filter}"),
                };
                pixels[y * stride + x] = (byte)(raw[y * (stride + 1) + 1 + x] + predictor);
            }
        }
        if (channels == 3) return (width, height, pixels);
        var rgb = new byte[width * height * 3];
        for (var i = 0; i < width * height; i++) pixels.AsSpan(i * 4, 3).CopyTo(rgb.AsSpan(i * 3));
        return (width, height, rgb);
    }

    private static int Paeth(int a, int b, int c)
    {
        var p = a + b - c;
        int pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    // Independent of the encoder's table so a wrong table cannot confirm itself.
    private static uint BitwiseCrc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }
}
