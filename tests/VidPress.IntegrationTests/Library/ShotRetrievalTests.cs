using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;
using VidPress.Core.Timeline;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Library;

/// <summary>
/// The retrieval stage against a real ingest: each candidate carries what ingest measured of its picture, and the
/// timeline receives it (quality in the score and the choice, the still's shape in its Ken Burns crops).
/// </summary>
[Collection(SharedService.Name)]
public sealed class ShotRetrievalTests(ServiceFixture shared) : IAsyncLifetime
{
    private MediaLibrary service = null!;

    public async Task InitializeAsync() => service = await MediaLibrary.OnAsync(shared);

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>The same picture with every pixel moved most of the way towards the background: soft and flat, still usable.</summary>
    private static RgbImage Faded(RgbImage picture, (byte R, byte G, byte B) towards, double keep)
    {
        var pixels = (byte[])picture.Pixels.Clone();
        for (var i = 0; i < pixels.Length; i += 3)
        {
            pixels[i] = (byte)Math.Round(towards.R + (pixels[i] - towards.R) * keep);
            pixels[i + 1] = (byte)Math.Round(towards.G + (pixels[i + 1] - towards.G) * keep);
            pixels[i + 2] = (byte)Math.Round(towards.B + (pixels[i + 2] - towards.B) * keep);
        }
        return new RgbImage(picture.Width, picture.Height, pixels);
    }

    private async Task<Guid> AddAsync(RgbImage picture, string name)
    {
        var path = Path.Combine(service.WorkFolder, $"{Guid.NewGuid():N}-{name}");
        await picture.SavePngAsync(path);
        return (await service.AddAsync(path, name, new Dictionary<string, string> { ["title"] = $"portrait {name}" })).Id;
    }

    [Fact]
    public async Task Candidates_carry_their_pictures_quality_and_shape_into_the_timeline_which_prefers_the_sharper_of_two_equal_stills()
    {
        // Portrait stills (270 × 480) of one drawing: crisp, and faded to a third of its contrast.
        var crisp = ShapeDrawings.Draw("purple", "triangle", 3, width: 270, height: 480);
        var crispId = await AddAsync(crisp, "crisp.png");
        var fadedId = await AddAsync(Faded(crisp, (190, 180, 200), keep: 0.3), "faded.png");
        // Each pinned to a sentence: the pins make both candidates of score 1, so only what ingest measured tells them apart.
        var script = new ScriptDocument(Languages.English, [
            new ScriptSentence(0, "A purple triangle.") { PinnedAssetId = fadedId },
            new ScriptSentence(1, "A purple triangle again.") { PinnedAssetId = crispId },
        ]);

        await using var scope = service.Factory.Services.CreateAsyncScope();
        var candidates = await scope.ServiceProvider.GetRequiredService<ShotRetrieval>().FindAsync(service.TenantId, script, 8, CancellationToken.None);

        var faded = Assert.Single(candidates.Sentences[0].Shots);
        var sharp = Assert.Single(candidates.Sentences[1].Shots);
        Assert.Equal((fadedId, crispId), (faded.AssetId, sharp.AssetId));
        Assert.Equal(270 / 480.0, sharp.AspectRatio!.Value, 4);
        Assert.Equal(270 / 480.0, faded.AspectRatio!.Value, 4);
        Assert.InRange(sharp.Quality!.Value, 0.5, 1);
        Assert.InRange(faded.Quality!.Value, 0.01, sharp.Quality.Value * 0.6);

        // One sentence offered both, the faded first: the timeline takes the crisp one, with the quality ingest measured,
        // and its zoom respects that a portrait's middle half is taller than a landscape frame shows (no zoom in).
        var oneSentence = new ScriptDocument(Languages.English, [new ScriptSentence(0, "A purple triangle.")]);
        var narration = new NarrationDocument("narration.wav", "en", 4, [new NarratedSentence(0, 0.2, 3.8)]);
        var both = new CandidatesDocument([new SentenceCandidates(0, [faded, sharp])]);
        var timeline = scope.ServiceProvider.GetRequiredService<TimelineBuilder>().Build(oneSentence, narration, both, VideoFormat.Create("16:9", "720p"),
            new TimelineExtras { Shots = TimelineExtras.ShotsFrom(both) });

        var clip = Assert.Single(timeline.Clips);
        Assert.Equal(crispId, clip.AssetId);
        Assert.Equal(sharp.Quality.Value, clip.Scores!.Quality, 6);
        Assert.Equal(new NormalizedRect(0.25, 0, 0.5, 1), clip.Crops!.Salient);
        Assert.Equal(1, clip.Motion!.StartZoom);
        Assert.Equal(1, clip.Motion.EndZoom);
    }
}
