using VidPress.Core.Media;

namespace VidPress.UnitTests.Media;

public class VideoFormatTests
{
    [Theory]
    [InlineData("16:9", "720p", 1280, 720)]
    [InlineData("16:9", "1080p", 1920, 1080)]
    [InlineData("9:16", "720p", 720, 1280)]
    [InlineData("9:16", "1080p", 1080, 1920)]
    [InlineData("1:1", "720p", 720, 720)]
    [InlineData("1:1", "1080p", 1080, 1080)]
    public void Named_formats_have_their_frame_sizes(string aspect, string resolution, int width, int height)
    {
        Assert.True(VideoFormat.TryCreate(aspect, resolution, out var format));
        Assert.Equal((width, height), (format.Width, format.Height));
    }

    [Theory]
    [InlineData("4:3", "720p")]
    [InlineData("16:9", "4k")]
    [InlineData(null, "720p")]
    [InlineData("16:9", null)]
    public void Other_formats_are_refused(string? aspect, string? resolution)
    {
        Assert.False(VideoFormat.TryCreate(aspect, resolution, out _));
    }
}
