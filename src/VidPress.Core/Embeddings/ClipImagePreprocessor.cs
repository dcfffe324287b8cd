using System.Text.Json;
using VidPress.Core.Media;

namespace VidPress.Core.Embeddings;

/// <summary>
/// CLIP's image preprocessing as the model folder's <c>preprocessor_config.json</c> says, matching
/// Hugging Face's <c>CLIPImageProcessor</c>: shortest side resized (Pillow bicubic), centre crop,
/// rescale, normalise with the file's mean and std, channels first.
/// </summary>
public sealed class ClipImagePreprocessor
{
    private readonly int _shortestEdge;
    private readonly float[] _mean;
    private readonly float[] _std;
    private readonly double _rescaleFactor;

    public ClipImagePreprocessor(int shortestEdge, int cropWidth, int cropHeight, IReadOnlyList<float> mean, IReadOnlyList<float> std, double rescaleFactor)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shortestEdge, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cropWidth, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(cropHeight, 1);
        if (mean.Count != 3 || std.Count != 3) throw new ArgumentException("image_mean and image_std need one value per RGB channel");
        _shortestEdge = shortestEdge;
        CropWidth = cropWidth;
        CropHeight = cropHeight;
        _mean = [.. mean];
        _std = [.. std];
        _rescaleFactor = rescaleFactor;
    }

    public int CropWidth { get; }
    public int CropHeight { get; }

    /// <summary>Number of floats one image becomes: 3 × crop height × crop width.</summary>
    public int ValuesPerImage => 3 * CropWidth * CropHeight;

    /// <summary>Reads <c>preprocessor_config.json</c> from a CLIP model folder.</summary>
    public static ClipImagePreprocessor Load(string modelFolder)
    {
        var path = Path.Combine(modelFolder, "preprocessor_config.json");
        if (!File.Exists(path)) throw new FileNotFoundException("CLIP preprocessor_config.json not found", path);
        using var stream = File.OpenRead(path);
        using var document = JsonDocument.Parse(stream);
        var root = document.RootElement;
        if (root.TryGetProperty("resample", out var resample) && resample.GetInt32() != 3)
            throw new InvalidDataException($"{path}: resample {resample.GetInt32()} is not supported; only bicubic (3)");
        foreach (var flag in new[] { "do_resize", "do_center_crop", "do_rescale", "do_normalize" })
            if (root.TryGetProperty(flag, out var value) && value.ValueKind == JsonValueKind.False)
                throw new InvalidDataException($"{path}: {flag} false is not supported");

        var size = root.GetProperty("size");
        var shortestEdge = size.ValueKind == JsonValueKind.Number ? size.GetInt32() : size.GetProperty("shortest_edge").GetInt32();
        var crop = root.GetProperty("crop_size");
        var (cropWidth, cropHeight) = crop.ValueKind == JsonValueKind.Number
            ? (crop.GetInt32(), crop.GetInt32())
            : (crop.GetProperty("width").GetInt32(), crop.GetProperty("height").GetInt32());
        var mean = root.GetProperty("image_mean").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var std = root.GetProperty("image_std").EnumerateArray().Select(v => v.GetSingle()).ToArray();
        var rescale = root.TryGetProperty("rescale_factor", out var factor) ? factor.GetDouble() : 1.0 / 255;
        return new ClipImagePreprocessor(shortestEdge, cropWidth, cropHeight, mean, std, rescale);
    }

    /// <summary>The model input for one image: <see cref="ValuesPerImage"/> floats, channel-major (C, H, W).</summary>
    public float[] Preprocess(RgbImage image)
    {
        var values = new float[ValuesPerImage];
        PreprocessInto(image, values);
        return values;
    }

    internal void PreprocessInto(RgbImage image, Span<float> destination)
    {
        if (destination.Length != ValuesPerImage)
            throw new ArgumentException($"destination holds {destination.Length} floats, need {ValuesPerImage}", nameof(destination));
        var (width, height) = ResizedSize(image.Width, image.Height, _shortestEdge);
        var resized = PilBicubic.Resize(image, width, height);
        var (left, top) = CropOffset(width, height, CropWidth, CropHeight);

        var plane = CropWidth * CropHeight;
        var pixels = resized.Pixels;
        for (var y = 0; y < CropHeight; y++)
        {
            var sy = y + top;
            for (var x = 0; x < CropWidth; x++)
            {
                var sx = x + left;
                var inside = sx >= 0 && sx < width && sy >= 0 && sy < height;
                var p = (sy * width + sx) * 3;
                for (var c = 0; c < 3; c++)
                {
                    // Crops larger than the image are zero-padded, as Hugging Face's center_crop does.
                    double value = inside ? pixels[p + c] : 0;
                    destination[c * plane + y * CropWidth + x] = (float)((value * _rescaleFactor - _mean[c]) / _std[c]);
                }
            }
        }
    }

    /// <summary>Hugging Face's get_resize_output_image_size: the short side becomes <paramref name="shortestEdge"/>, the long side is truncated.</summary>
    internal static (int Width, int Height) ResizedSize(int width, int height, int shortestEdge)
    {
        var (shortSide, longSide) = width <= height ? (width, height) : (height, width);
        var newLong = (int)((long)shortestEdge * longSide / shortSide);
        return width <= height ? (shortestEdge, newLong) : (newLong, shortestEdge);
    }

    /// <summary>Hugging Face's center_crop offsets: floor division, negative when the crop is larger (padding).</summary>
    internal static (int Left, int Top) CropOffset(int width, int height, int cropWidth, int cropHeight) =>
        ((int)Math.Floor((width - cropWidth) / 2.0), (int)Math.Floor((height - cropHeight) / 2.0));
}
