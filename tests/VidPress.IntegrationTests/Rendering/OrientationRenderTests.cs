using Microsoft.Extensions.Options;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;
using VidPress.Core.Rendering;
using VidPress.Core.Timeline;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Rendering;

/// <summary>A phone photo and a phone video, stored turned, come out upright in the rendered frames.</summary>
public sealed class OrientationRenderTests(RenderingFixture media) : IClassFixture<RenderingFixture>
{
    [Fact]
    public async Task Turned_stills_and_videos_are_drawn_upright()
    {
        var probe = new MediaProbe(Options.Create(new MediaOptions()));
        var photo = await TurnedPictures.JpegAsync(Path.Combine(media.Folder, "photo-8.jpg"), 8);
        var mirrored = await TurnedPictures.PngAsync(Path.Combine(media.Folder, "photo-7.png"), 7);
        var video = await TurnedPictures.VideoAsync(Path.Combine(media.Folder, "phone-270.mp4"), 270);
        var sources = new List<ClipSource?>();
        foreach (var (path, still) in new[] { (photo, true), (mirrored, true), (video, false) })
        {
            var info = await probe.ProbeAsync(path);
            Assert.Equal((320, 180), (info.Width, info.Height));
            sources.Add(new ClipSource(path, still, info.Orientation));
        }
        var level = new KenBurns(1, 1, .5, .5, .5, .5);
        var timeline = RenderingFixture.Timeline(640, 360,
        [
            RenderingFixture.StillClip(0, 1) with { Motion = level }, RenderingFixture.StillClip(1, 2) with { Motion = level },
            RenderingFixture.Shot(2, 3, sourceStart: 0.5),
        ]);
        var scratch = new ScratchFolder(media.Folder, "turned");
        var rendered = await media.Renderer("ultrafast").RenderAsync(timeline, new RenderTarget(640, 360), sources, media.Narration, null, scratch, null, CancellationToken.None);
        var decoder = new FrameDecoder();
        foreach (var seconds in new[] { 0.5, 1.5, 2.5 })
            Assert.Equal(TurnedPictures.UprightReading, TurnedPictures.Read(await decoder.ReadFrameAsync(rendered.VideoPath, TimeSpan.FromSeconds(seconds))));
        scratch.Dispose();
    }
}
