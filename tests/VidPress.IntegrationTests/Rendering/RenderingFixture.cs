using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using VidPress.Core.Media;
using VidPress.Core.Rendering;
using VidPress.Core.Timeline;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Rendering;

/// <summary>The real renderer with real ffmpeg, and test media for it: a spoken narration, a clip, a still, a music bed.</summary>
public sealed class RenderingFixture : IAsyncLifetime
{
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "vidpress-render-" + Guid.NewGuid().ToString("N")[..8]);
    public string Narration => Path.Combine(Folder, "narration.wav");
    public string Music => Path.Combine(Folder, "music.wav");
    public string Clip => Path.Combine(Folder, "clip.mp4");
    public string Still => Repository.Path("models", "tiny-clip", "red-circle.png");
    public double NarrationSeconds { get; private set; }

    public VideoRenderer Renderer(string preset = "veryfast", int segments = 0)
    {
        var rendering = Options.Create(new RenderingOptions { Preset = preset, Segments = segments, MinSecondsPerSegment = 10 });
        var media = Options.Create(new MediaOptions());
        return new VideoRenderer(rendering, media, new MediaProbe(media), new Soundtrack(rendering, media), NullLogger<VideoRenderer>.Instance);
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(Folder);
        var text = Path.Combine(Folder, "narration.txt");
        await File.WriteAllTextAsync(text, "The council met on Tuesday to discuss the new harbour plan. Residents asked questions for an hour, and the mayor promised an answer by spring.");
        await VidPress.Core.Media.ToolProcess.RunCheckedAsync("espeak-ng", ["-v", "en-us", "-f", text, "-w", Narration], TimeSpan.FromMinutes(1));
        NarrationSeconds = await DurationAsync(Narration);
        // A loud music bed: two tones and a pulse, well above the voice before ducking.
        await Media.Ffmpeg("-f", "lavfi", "-i", "sine=frequency=220:duration=20", "-f", "lavfi", "-i", "sine=frequency=330:duration=20:beep_factor=4",
            "-filter_complex", "[0][1]amix=inputs=2:normalize=0,volume=0.6", "-ar", "44100", Music);
        await Media.Ffmpeg("-f", "lavfi", "-i", "testsrc2=size=640x360:rate=25", "-t", "12", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", Clip);
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Folder, recursive: true);
        return Task.CompletedTask;
    }

    public static async Task<double> DurationAsync(string path) =>
        Media.Seconds((await Media.ProbeAsync(path)).GetProperty("format"), "duration");

    public static TimelineDocument Timeline(int width, int height, IReadOnlyList<TimelineClip> clips, IReadOnlyList<SubtitleCue>? cues = null) => new()
    {
        AspectRatio = "16:9", Resolution = "720p", Width = width, Height = height, FrameRate = 30, Language = "en", NarrationKey = "narration.wav",
        DurationSeconds = clips[^1].End, Clips = clips, Subtitles = cues ?? [],
    };

    public static TimelineClip Card(double start, double end, string? text = null) =>
        new() { Text = text ?? "", Start = start, End = end, Kind = ClipKind.TitleCard, CardText = text };

    public static TimelineClip Shot(double start, double end, double sourceStart = 1) =>
        new() { Text = "", Start = start, End = end, Kind = ClipKind.VideoShot, SourceStart = sourceStart };

    public static TimelineClip StillClip(double start, double end) =>
        new() { Text = "", Start = start, End = end, Kind = ClipKind.Still, Motion = new KenBurns(1, 1.15, .5, .5, .5, .45) };

    /// <summary>Integrated loudness (LUFS) and true peak (dBTP) as ffmpeg's ebur128 filter measures them.</summary>
    public static async Task<(double Integrated, double TruePeak)> LoudnessAsync(string path)
    {
        var result = await VidPress.Core.Media.ToolProcess.RunCheckedAsync("ffmpeg",
            ["-hide_banner", "-nostdin", "-i", path, "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-"], TimeSpan.FromMinutes(2));
        var summary = result.StandardError[result.StandardError.LastIndexOf("Summary:", StringComparison.Ordinal)..];
        double Read(string label)
        {
            var line = summary.Split('\n').First(l => l.TrimStart().StartsWith(label, StringComparison.Ordinal));
            return double.Parse(line.Split(':')[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        return (Read("I:"), Read("Peak:"));
    }
}
