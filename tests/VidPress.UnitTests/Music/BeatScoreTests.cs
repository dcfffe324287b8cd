namespace VidPress.UnitTests.Music;

/// <summary>The scorer the beat tracker is held to, on cases small enough to count by hand.</summary>
public class BeatScoreTests
{
    [Fact]
    public void Every_beat_within_the_window_is_a_perfect_score()
    {
        Assert.Equal(1, BeatScore.FMeasure([1, 2, 3], [1.05, 1.96, 3.069]), 6);
    }

    [Fact]
    public void A_beat_just_outside_the_window_misses()
    {
        // 2 of 3 hit: P = R = 2/3.
        Assert.Equal(2 / 3.0, BeatScore.FMeasure([1, 2, 3], [1, 2, 3.071]), 6);
    }

    [Fact]
    public void Each_annotation_counts_one_estimate_only()
    {
        // Two estimates around the one annotation: 1 hit, P = 1/2, R = 1, F = 2/3.
        Assert.Equal(2 / 3.0, BeatScore.FMeasure([1], [0.98, 1.02]), 6);
        // Double tempo: every annotation hit, half the estimates extra: P = 1/2, R = 1.
        Assert.Equal(2 / 3.0, BeatScore.FMeasure([1, 2, 3, 4], [1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5]), 6);
        // Off-beat (half a beat late): nothing hits.
        Assert.Equal(0, BeatScore.FMeasure([1, 2, 3], [1.5, 2.5, 3.5]));
    }

    [Fact]
    public void Empty_lists_and_the_skipped_start_score_as_mir_eval_does()
    {
        Assert.Equal(0, BeatScore.FMeasure([1, 2], []));
        Assert.Equal(0, BeatScore.FMeasure([], [1, 2]));
        // Beats before 5 s left out of both: only 6 and 7 count, both hit.
        Assert.Equal(1, BeatScore.FMeasure([1, 2, 6, 7], [1.5, 6, 7], skipSeconds: 5), 6);
    }

    [Fact]
    public void Tempo_is_right_within_four_percent_at_the_annotated_level_only()
    {
        Assert.True(BeatScore.TempoCorrect(120, 124.8));
        Assert.False(BeatScore.TempoCorrect(120, 124.9));
        Assert.False(BeatScore.TempoCorrect(120, 60));
        Assert.Equal(120, BeatScore.MedianTempo([0, 0.5, 1.0, 1.6, 2.0]), 6);
    }
}
