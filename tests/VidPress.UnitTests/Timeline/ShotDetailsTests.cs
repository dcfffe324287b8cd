using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;
using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Timeline;

/// <summary>What retrieval records of a candidate's picture, and that the timeline receives it.</summary>
public class ShotDetailsTests
{
    private static readonly QualityThresholds Thresholds = new();

    private static ShotCandidate Still(double score, double? quality = null, double? aspect = null) =>
        new(Guid.NewGuid(), Guid.NewGuid(), AssetKind.Image, "photo", score, 0, 0, 0, "", Quality: quality, AspectRatio: aspect);

    private static TimelineDocument Build(CandidatesDocument candidates, TimelineExtras extras)
    {
        var script = new ScriptDocument(Languages.English, [new ScriptSentence(0, "A photo of the harbour.")]);
        var narration = new NarrationDocument("narration.wav", "en", 4, [new NarratedSentence(0, 0.2, 3.8)]);
        return new TimelineBuilder(Options.Create(new TimelineOptions())).Build(script, narration, candidates, VideoFormat.Create("16:9", "720p"), extras);
    }

    [Fact]
    public void Of_two_otherwise_equal_stills_the_timeline_takes_the_one_retrieval_measured_sharper()
    {
        var blurred = Still(0.3, quality: 0.2);
        var sharp = Still(0.3, quality: 0.9);
        var candidates = new CandidatesDocument([new SentenceCandidates(0, [blurred, sharp])]);

        // Unknown quality (what the service had before): the two tie and the first listed is taken.
        Assert.Equal(blurred.ShotId, Assert.Single(Build(candidates, TimelineExtras.None).Clips).ShotId);
        var clip = Assert.Single(Build(candidates, new TimelineExtras { Shots = TimelineExtras.ShotsFrom(candidates) }).Clips);
        Assert.Equal(sharp.ShotId, clip.ShotId);
        Assert.Equal(0.9, clip.Scores!.Quality);
    }

    [Fact]
    public void A_portrait_still_in_a_landscape_frame_is_not_zoomed_past_the_middle_that_the_frame_can_show()
    {
        var portrait = Still(0.3, quality: 0.8, aspect: 9 / 16.0);
        var candidates = new CandidatesDocument([new SentenceCandidates(0, [portrait])]);

        var unknown = Assert.Single(Build(candidates, TimelineExtras.None).Clips);
        var known = Assert.Single(Build(candidates, new TimelineExtras { Shots = TimelineExtras.ShotsFrom(candidates) }).Clips);

        // Taken for the frame's shape, the still's middle half fits and the zoom tightens on it.
        Assert.True(unknown.Motion!.EndZoom > 1);
        // Known to be a portrait, its middle half is taller than the cropped frame: it stays in view only unzoomed.
        Assert.Equal(new NormalizedRect(0.25, 0, 0.5, 1), known.Crops!.Salient);
        Assert.Equal((1.0, 1.0), (known.Motion!.StartZoom, known.Motion.EndZoom));
    }

    [Fact]
    public void Candidates_without_recorded_details_count_as_unknown_and_a_shot_found_twice_is_described_once()
    {
        var old = Still(0.3);
        var measured = Still(0.3, quality: 0.4, aspect: 1.5);
        var candidates = new CandidatesDocument([
            new SentenceCandidates(0, [old, measured]),
            new SentenceCandidates(1, [measured]),
        ]);

        var shots = TimelineExtras.ShotsFrom(candidates);

        Assert.Equal(new ShotDetails(0.4, null, 1.5), Assert.Single(shots).Value);
        Assert.Equal(1.0, new TimelineExtras { Shots = shots }.DetailsOf(old.ShotId).Quality);
    }

    [Fact]
    public void Retrieval_describes_a_candidate_by_the_keyframe_nearest_the_one_it_matched_and_its_assets_shape()
    {
        var candidate = new ShotCandidate(Guid.NewGuid(), Guid.NewGuid(), AssetKind.Video, "clip", 0.3, 0, 10, BestTime: 6.1, "");
        var blurred = new FrameQuality(Sharpness: 1, Brightness: 0.5, Contrast: 0.2);
        var sharp = new FrameQuality(Sharpness: 90, Brightness: 0.5, Contrast: 0.2);
        KeyframePicture[] keyframes = [new(1, sharp, 1920, 1080), new(6, blurred, 1920, 1080), new(9, sharp, 1920, 1080)];

        var described = ShotRetrieval.Describe(candidate, keyframes, Thresholds);

        Assert.Equal(Math.Round(1 / 11.0, 4), described.Quality);
        Assert.Equal(Math.Round(1920 / 1080.0, 4), described.AspectRatio);
        Assert.Same(candidate, ShotRetrieval.Describe(candidate, [], Thresholds));
        Assert.Null(ShotRetrieval.Describe(candidate, [new(6, sharp, 0, 0)], Thresholds).AspectRatio);
    }

    [Theory]
    [InlineData(90, 0.5, 0.3, 0.9)]      // sharp and contrasted: 90 / (90 + 10)
    [InlineData(10, 0.5, 0.3, 0.5)]      // soft: the half-way sharpness
    [InlineData(90, 0.5, 0.075, 0.45)]   // half the full contrast halves it
    [InlineData(90, 0.03, 0.3, 0)]       // black
    [InlineData(0, 0.5, 0.3, 0)]         // no edges at all
    public void A_frames_quality_score_rises_with_sharpness_and_contrast(double sharpness, double brightness, double contrast, double expected)
    {
        Assert.Equal(expected, new FrameQuality(sharpness, brightness, contrast).Score(Thresholds), 4);
    }
}
