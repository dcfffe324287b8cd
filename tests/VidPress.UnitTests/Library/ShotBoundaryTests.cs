using VidPress.Core.Library;

namespace VidPress.UnitTests.Library;

public sealed class ShotBoundaryTests
{
    private static IEnumerable<SceneScore> Frames(double duration, params (double Time, double Score)[] peaks)
    {
        for (var t = 0.0; t < duration; t += 0.04)
        {
            var time = Math.Round(t, 2);
            var peak = peaks.FirstOrDefault(p => Math.Abs(p.Time - time) < 0.001);
            yield return new SceneScore(time, peak == default ? 0.01 : peak.Score);
        }
    }

    [Fact]
    public void Cuts_above_the_threshold_split_the_asset()
    {
        var shots = ShotBoundaries.Split(Frames(9, (3, 0.6), (6, 0.4)), 9, threshold: 0.25, minShotSeconds: 1);
        Assert.Equal([new ShotSpan(0, 3), new ShotSpan(3, 6), new ShotSpan(6, 9)], shots);
    }

    [Fact]
    public void Scores_at_or_below_the_threshold_are_not_cuts() =>
        Assert.Single(ShotBoundaries.Split(Frames(6, (3, 0.25)), 6, 0.25, 1));

    [Fact]
    public void A_flash_of_high_scores_makes_one_cut_not_several()
    {
        var shots = ShotBoundaries.Split(Frames(8, (4, 0.9), (4.04, 0.9), (4.08, 0.9)), 8, 0.25, 1);
        Assert.Equal([new ShotSpan(0, 4), new ShotSpan(4, 8)], shots);
    }

    [Fact]
    public void Low_isolated_peak_is_a_cut_between_similar_shots_but_sustained_motion_is_not()
    {
        var similarShots = ShotBoundaries.Split(Frames(6, (3, 0.14)), 6, 0.3, 1, peakMinScore: 0.08, peakRatio: 4);
        Assert.Equal([new ShotSpan(0, 3), new ShotSpan(3, 6)], similarShots);

        var pan = Enumerable.Range(0, 150).Select(i => new SceneScore(i * 0.04, i % 2 == 0 ? 0.12 : 0.09)).ToList();
        Assert.Single(ShotBoundaries.Split(pan, 6, 0.3, 1, peakMinScore: 0.08, peakRatio: 4));
    }

    [Fact]
    public void Cuts_too_near_either_end_are_ignored()
    {
        var shots = ShotBoundaries.Split(Frames(6, (0.4, 0.9), (5.6, 0.9)), 6, 0.25, 1);
        Assert.Equal([new ShotSpan(0, 6)], shots);
    }

    [Fact]
    public void Frames_out_of_order_are_handled()
    {
        var shots = ShotBoundaries.Split([new SceneScore(5, 0.8), new SceneScore(2, 0.8)], 7, 0.25, 1);
        Assert.Equal([new ShotSpan(0, 2), new ShotSpan(2, 5), new ShotSpan(5, 7)], shots);
    }

    [Fact]
    public void Short_shot_gets_one_keyframe_in_its_middle_and_long_shot_one_every_interval()
    {
        Assert.Equal([4.75], ShotBoundaries.KeyframeTimes(new ShotSpan(4, 5.5), 2));
        Assert.Equal([11, 13, 15], ShotBoundaries.KeyframeTimes(new ShotSpan(10, 16), 2));
        Assert.Equal([0], ShotBoundaries.KeyframeTimes(new ShotSpan(0, 0), 2));
    }

    [Fact]
    public void Scene_scores_are_read_from_ffmpeg_metadata_lines()
    {
        // The pass runs in microseconds (settb); pts_time is printed with six significant digits only.
        var scores = SceneDetector.Parse([
            "[Parsed_metadata_3 @ 0x55] frame:0    pts:0       pts_time:0",
            "[Parsed_metadata_3 @ 0x55] lavfi.scene_score=0.000000",
            "[Parsed_metadata_3 @ 0x55] frame:25   pts:1000000 pts_time:1",
            "[Parsed_metadata_3 @ 0x55] lavfi.scene_score=0.400000",
            // 1 h 2 min 3.041 s into a long recording: pts_time says 3723.04, a frame earlier than the cut.
            "[Parsed_metadata_3 @ 0x55] frame:93076 pts:3723041000 pts_time:3723.04",
            "[Parsed_metadata_3 @ 0x55] lavfi.scene_score=0.900000",
        ]);
        Assert.Equal([new SceneScore(0, 0), new SceneScore(1, 0.4), new SceneScore(3723.041, 0.9)], scores);
    }

    [Fact]
    public void Keyframes_are_the_candidates_nearest_their_planned_times_inside_the_shot()
    {
        // Candidates every half second from 0 to 7.5 s.
        var candidates = Enumerable.Range(0, 16).Select(i => i * 0.5).ToList();
        // Planned 11, 13, 15 in a 10-16 shot: none of these candidates lie inside it.
        Assert.Empty(ShotBoundaries.PickCandidates(candidates, new ShotSpan(10, 16), 2, lastShot: false));
        // Planned 4.75 in 4-5.5: 4.5 and 5.0 are equally near, the earlier wins; 5.5 (the next shot's first) is never taken.
        Assert.Equal([9], ShotBoundaries.PickCandidates(candidates, new ShotSpan(4, 5.5), 2, lastShot: false));
        // Planned 1, 3, 5 in 0-6.
        Assert.Equal([2, 6, 10], ShotBoundaries.PickCandidates(candidates, new ShotSpan(0, 6), 2, lastShot: false));
        // A shot of 0.2 s between candidates has none; the last shot may use a candidate at its very end.
        Assert.Empty(ShotBoundaries.PickCandidates(candidates, new ShotSpan(6.1, 6.3), 2, lastShot: false));
        Assert.Equal([15], ShotBoundaries.PickCandidates(candidates, new ShotSpan(7.2, 7.5), 2, lastShot: true));
    }

    [Theory]
    [InlineData(60, 11)]
    [InlineData(3 * 3600, 190)]
    [InlineData(0, 10)]
    [InlineData(double.NaN, 10)]
    public void The_scene_pass_may_take_the_tool_limit_plus_the_footages_duration(double seconds, double minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), SceneDetector.TimeoutFor(seconds, new IngestOptions { IngestToolTimeout = TimeSpan.FromMinutes(10) }));
}
