namespace VidPress.Core.Media;

/// <summary>An output frame size named the way editors ask for it: aspect ratio and resolution.</summary>
public sealed record VideoFormat(string AspectRatio, string Resolution, int Width, int Height)
{
    public static readonly IReadOnlyList<string> AspectRatios = ["16:9", "9:16", "1:1"];
    public static readonly IReadOnlyList<string> Resolutions = ["720p", "1080p"];

    public static bool TryCreate(string? aspectRatio, string? resolution, out VideoFormat format)
    {
        format = null!;
        var shortSide = resolution switch { "720p" => 720, "1080p" => 1080, _ => 0 };
        if (shortSide == 0) return false;
        (int w, int h)? size = aspectRatio switch
        {
            "16:9" => (shortSide * 16 / 9, shortSide),
            "9:16" => (shortSide, shortSide * 16 / 9),
            "1:1" => (shortSide, shortSide),
            _ => null,
        };
        if (size is null) return false;
        format = new VideoFormat(aspectRatio!, resolution!, size.Value.w, size.Value.h);
        return true;
    }

    public static VideoFormat Create(string aspectRatio, string resolution) =>
        TryCreate(aspectRatio, resolution, out var format) ? format : throw new ArgumentException($"Unsupported format {aspectRatio} {resolution}.");
}
