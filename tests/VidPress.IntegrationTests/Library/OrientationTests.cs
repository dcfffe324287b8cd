using VidPress.Api.Library;
using VidPress.Core.Embeddings;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// Phone photos and videos are stored turned and say so (EXIF orientation, display matrix): the library shows them
/// upright, in the size it records and in the thumbnails, which are drawn from the same pixels the CLIP embedding sees.
/// </summary>
[Collection(SharedService.Name)]
public sealed class OrientationTests(ServiceFixture shared) : IAsyncLifetime
{
    private Newsroom _newsroom = null!;

    public async Task InitializeAsync() => _newsroom = await shared.NewsroomAsync("orientation");

    public Task DisposeAsync() => Task.CompletedTask;

    private string Work(string name) => Path.Combine(_newsroom.WorkFolder, Guid.NewGuid().ToString("N")[..8] + "-" + name);

    private async Task<string> ThumbnailReadingAsync(AssetResponse asset)
    {
        Assert.NotNull(asset.ThumbnailUrl);
        var path = Work("thumbnail.jpg");
        await File.WriteAllBytesAsync(path, await _newsroom.Client.GetByteArrayAsync(asset.ThumbnailUrl));
        var thumbnail = await new FrameDecoder().ReadImageAsync(path);
        Assert.True(thumbnail.Width > thumbnail.Height, $"the thumbnail is {thumbnail.Width}×{thumbnail.Height}, not the landscape picture");
        return TurnedPictures.Read(thumbnail);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public async Task A_jpeg_of_every_exif_orientation_is_recorded_and_shown_upright(int orientation)
    {
        var jpeg = await TurnedPictures.JpegAsync(Work($"photo-{orientation}.jpg"), orientation);
        // The stored pixels are turned unless the orientation is 1 (else the test would prove nothing).
        var stored = TurnedPictures.Read(await new FrameDecoder().ReadImageAsync(jpeg, orientation: 1));
        Assert.Equal(orientation == 1, stored == TurnedPictures.UprightReading);

        var asset = await _newsroom.Client.AddAssetAsync(jpeg, $"phone-photo-{orientation}.jpg", fields: ("title", $"phone photo {orientation}"));
        Assert.Equal((320, 180), (asset.Width, asset.Height));
        Assert.Equal(TurnedPictures.UprightReading, await ThumbnailReadingAsync(asset));
        Assert.Equal(orientation, await _newsroom.Database.ScalarAsync<int>($"select \"Orientation\" from assets where \"Id\" = '{asset.Id}'"));
    }

    [Fact]
    public async Task A_png_whose_exif_ffmpeg_does_not_read_is_shown_upright_too()
    {
        var png = await TurnedPictures.PngAsync(Work("screenshot.png"), 6);
        var asset = await _newsroom.Client.AddAssetAsync(png, "screenshot.png", fields: ("title", "turned screenshot"));
        Assert.Equal((320, 180), (asset.Width, asset.Height));
        Assert.Equal(TurnedPictures.UprightReading, await ThumbnailReadingAsync(asset));
    }

    [Theory]
    [InlineData(90)]
    [InlineData(180)]
    [InlineData(270)]
    public async Task A_video_with_a_display_matrix_is_recorded_and_shown_upright(int degrees)
    {
        var video = await TurnedPictures.VideoAsync(Work($"phone-{degrees}.mp4"), degrees);
        // The test clip is right: ffmpeg's own player-style rotation shows it upright, its stored frames are not.
        Assert.Equal(TurnedPictures.UprightReading, TurnedPictures.Read(await new FrameDecoder().ReadImageAsync(video)));
        Assert.NotEqual(TurnedPictures.UprightReading, TurnedPictures.Read(await new FrameDecoder().ReadImageAsync(video, orientation: 1)));

        var asset = await _newsroom.Client.AddAssetAsync(video, $"phone-{degrees}.mp4", fields: ("title", $"phone video {degrees}"));
        Assert.Equal((320, 180), (asset.Width, asset.Height));
        Assert.Equal(TurnedPictures.UprightReading, await ThumbnailReadingAsync(asset));
    }
}
