using VidPress.Core.Media;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// Pictures in the style tiny-clip was trained on (models/tiny-clip/*.png): one flat coloured shape on a muted
/// background, drawn here so every colour × shape class exists without shipping 24 fixture files.
/// </summary>
public static class ShapeDrawings
{
    public static readonly string[] Colours = ["red", "green", "blue", "yellow", "purple", "orange", "white", "black"];
    public static readonly string[] Shapes = ["circle", "square", "triangle"];

    private static readonly Dictionary<string, (byte R, byte G, byte B)> Fill = new()
    {
        ["red"] = (214, 40, 40), ["green"] = (46, 160, 67), ["blue"] = (40, 90, 210), ["yellow"] = (240, 205, 45),
        ["purple"] = (130, 60, 170), ["orange"] = (240, 135, 30), ["white"] = (245, 245, 245), ["black"] = (20, 20, 20),
    };

    private static readonly (byte R, byte G, byte B)[] Backgrounds = [(205, 175, 170), (160, 175, 190), (180, 190, 160), (190, 180, 200), (150, 160, 150)];

    public static RgbImage Draw(string colour, string shape, int variant = 0, int width = 480, int height = 270)
    {
        var background = Backgrounds[variant % Backgrounds.Length];
        var fill = Fill[colour];
        var pixels = new byte[width * height * 3];
        var size = height * 0.42;
        var cx = width / 2.0 + (variant % 3 - 1) * width * 0.12;
        var cy = height / 2.0 + (variant % 2 == 0 ? -1 : 1) * height * 0.05;
        for (var y = 0; y < height; y++)
            for (var x = 0; x < width; x++)
            {
                var inside = shape switch
                {
                    "circle" => Math.Pow(x - cx, 2) + Math.Pow(y - cy, 2) <= Math.Pow(size / 2, 2),
                    "square" => Math.Abs(x - cx) <= size / 2 && Math.Abs(y - cy) <= size / 2,
                    "triangle" => y >= cy - size / 2 && y <= cy + size / 2 && Math.Abs(x - cx) <= (y - (cy - size / 2)) * 0.577,
                    _ => throw new ArgumentOutOfRangeException(nameof(shape)),
                };
                var c = inside ? fill : background;
                var i = (y * width + x) * 3;
                pixels[i] = c.R;
                pixels[i + 1] = c.G;
                pixels[i + 2] = c.B;
            }
        return new RgbImage(width, height, pixels);
    }

    /// <summary>A clip showing the given pictures one after another, each for <paramref name="secondsEach"/>.</summary>
    public static async Task<string> SequenceClipAsync(string folder, string name, IReadOnlyList<RgbImage> pictures, double secondsEach)
    {
        var inputs = new List<string>();
        for (var i = 0; i < pictures.Count; i++)
        {
            var png = Path.Combine(folder, $"{name}-{i}.png");
            await pictures[i].SavePngAsync(png);
            inputs.AddRange(["-loop", "1", "-t", Media.Invariant(secondsEach), "-i", png]);
        }
        var output = Path.Combine(folder, name + ".mp4");
        var chain = string.Concat(Enumerable.Range(0, pictures.Count).Select(i => $"[{i}:v]scale=640:360,setsar=1,fps=25[v{i}];"))
            + string.Concat(Enumerable.Range(0, pictures.Count).Select(i => $"[v{i}]")) + $"concat=n={pictures.Count}:v=1,format=yuv420p[out]";
        await Media.Ffmpeg([.. inputs, "-filter_complex", chain, "-map", "[out]", "-c:v", "libx264", "-preset", "ultrafast", output]);
        return output;
    }
}
