using System.Globalization;
using System.Text.Json;
using VidPress.Core.Media;

namespace VidPress.Testing;

/// <summary>Test media made with the real ffmpeg, and ffprobe readings of what the service produced.</summary>
public static class Media
{
    public static readonly string[] ShapePictures = ["red-circle", "blue-square", "green-triangle", "purple-circle", "white-triangle", "yellow-square"];

    /// <summary>A short H.264 clip showing one of tiny-clip's shape pictures, filling a 16:9 frame.</summary>
    public static async Task<string> ShapeClipAsync(string folder, string picture, double seconds = 4)
    {
        var output = Path.Combine(folder, picture + ".mp4");
        await Ffmpeg("-loop", "1", "-i", Repository.Path("models", "tiny-clip", picture + ".png"), "-t", Invariant(seconds), "-r", "25",
            "-vf", "scale=640:360:force_original_aspect_ratio=increase,crop=640:360,format=yuv420p", "-c:v", "libx264", "-preset", "ultrafast", output);
        return output;
    }

    public static async Task Ffmpeg(params string[] args) =>
        await ToolProcess.RunCheckedAsync("ffmpeg", ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", .. args], TimeSpan.FromMinutes(2));

    public static async Task<JsonElement> ProbeAsync(string path)
    {
        var result = await ToolProcess.RunCheckedAsync("ffprobe", ["-v", "error", "-show_format", "-show_streams", "-of", "json", path], TimeSpan.FromMinutes(1));
        return JsonDocument.Parse(result.StandardOutput).RootElement;
    }

    public static JsonElement Stream(JsonElement probe, string type) =>
        probe.GetProperty("streams").EnumerateArray().Single(s => s.GetProperty("codec_type").GetString() == type);

    public static double Seconds(JsonElement element, string property) =>
        double.Parse(element.GetProperty(property).GetString()!, CultureInfo.InvariantCulture);

    /// <summary>Extracts the frame shown at <paramref name="seconds"/> as a PNG.</summary>
    public static async Task<string> FrameAsync(string video, double seconds, string output)
    {
        await Ffmpeg("-ss", Invariant(seconds), "-i", video, "-frames:v", "1", output);
        return output;
    }

    public static string Invariant(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
