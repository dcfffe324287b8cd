using System.Globalization;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;

namespace VidPress.IntegrationTests.Embeddings;

/// <summary>A 4 s video made here with lavfi: red for 0–2 s, blue for 2–4 s, 25 fps, a keyframe every 10 frames.</summary>
public sealed class TwoColourVideo : IAsyncLifetime
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "vidpress-frames-" + Guid.NewGuid().ToString("N"));

    public string Path => System.IO.Path.Combine(_folder, "red then blue.mp4");

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_folder);
        await ToolProcess.RunCheckedAsync("ffmpeg",
        [
            "-nostdin", "-loglevel", "error",
            "-f", "lavfi", "-i", "color=c=red:s=160x90:r=25:d=2",
            "-f", "lavfi", "-i", "color=c=blue:s=160x90:r=25:d=2",
            "-filter_complex", "[0:v][1:v]concat=n=2:v=1[v]", "-map", "[v]",
            "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "10", Path,
        ], TimeSpan.FromMinutes(1));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}

public sealed class FrameDecoderVideoTests(TwoColourVideo video) : IClassFixture<TwoColourVideo>
{
    private readonly FrameDecoder _decoder = new();

    [Theory]
    [InlineData(0.0, "red")]
    [InlineData(1.5, "red")]
    [InlineData(1.96, "red")]
    [InlineData(2.0, "blue")]
    [InlineData(3.9, "blue")]
    public async Task Frame_at_a_time_shows_the_colour_of_that_time(double seconds, string colour)
    {
        var image = await _decoder.ReadFrameAsync(video.Path, TimeSpan.FromSeconds(seconds));

        Assert.Equal((160, 90), (image.Width, image.Height));
        Assert.Equal(colour, ColourAt(image, 80, 45));
    }

    [Fact]
    public async Task Several_frames_come_from_one_run_in_the_order_asked()
    {
        double[] seconds = [3.0, 0.5, 1.9, 2.04, 0.5, 10.0];

        var frames = await _decoder.ReadFramesAsync(video.Path, seconds.Select(TimeSpan.FromSeconds).ToArray());

        // 10 s is past the end, so it is left out; the duplicate 0.5 s is answered twice.
        Assert.Equal(seconds[..5].Select(TimeSpan.FromSeconds), frames.Select(f => f.RequestedTime));
        Assert.Equal(["blue", "red", "red", "blue", "red"], frames.Select(f => ColourAt(f.Image, 10, 10)));
        Assert.Equal([3.0, 0.52, 1.92, 2.04, 0.52], frames.Select(f => Math.Round(f.FrameTime.TotalSeconds, 3)));
        Assert.Same(frames[1].Image, frames[4].Image);
    }

    [Fact]
    public async Task A_missing_file_fails_with_the_tool_error()
    {
        var error = await Assert.ThrowsAsync<ToolFailedException>(
            () => _decoder.ReadImageAsync(System.IO.Path.Combine(System.IO.Path.GetTempPath(), "no such file " + Guid.NewGuid() + ".png")));

        Assert.Equal("ffmpeg", error.Tool);
    }

    private static string ColourAt(RgbImage image, int x, int y)
    {
        var (r, g, b) = image[x, y];
        Assert.True(g < 40, string.Create(CultureInfo.InvariantCulture, $"green {g} at ({x},{y})"));
        return r > 200 && b < 40 ? "red" : b > 200 && r < 40 ? "blue" : $"rgb({r},{g},{b})";
    }
}
