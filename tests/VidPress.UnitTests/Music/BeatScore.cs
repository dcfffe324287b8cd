namespace VidPress.UnitTests.Music;

/// <summary>
/// The beat-tracking literature's scores, as mir_eval computes them: the F-measure of estimated against annotated beats,
/// each annotation matched to at most one estimate within ±<see cref="Window"/> s, and tempo accuracy (the estimate within
/// 4 % of the annotated tempo, at the annotated metrical level: an octave error counts as wrong).
/// </summary>
public static class BeatScore
{
    public const double Window = 0.070;

    /// <summary>
    /// mir_eval.beat.f_measure: 2PR / (P + R) with P = hits / estimates and R = hits / annotations. Both lists are sorted, and
    /// on a line a greedy match (each annotation takes the earliest unmatched estimate within the window) is a maximum one.
    /// Beats before <paramref name="skipSeconds"/> are left out of both, as mir_eval's trim_beats does (5 s there).
    /// </summary>
    public static double FMeasure(IReadOnlyList<double> annotated, IReadOnlyList<double> estimated, double skipSeconds = 0, double window = Window)
    {
        var reference = annotated.Where(b => b >= skipSeconds).Order().ToList();
        var estimate = estimated.Where(b => b >= skipSeconds).Order().ToList();
        if (reference.Count == 0 || estimate.Count == 0) return 0;
        var hits = 0;
        var next = 0;
        foreach (var r in reference)
        {
            while (next < estimate.Count && estimate[next] < r - window) next++;
            if (next < estimate.Count && estimate[next] <= r + window)
            {
                hits++;
                next++;
            }
        }
        if (hits == 0) return 0;
        double precision = hits / (double)estimate.Count, recall = hits / (double)reference.Count;
        return 2 * precision * recall / (precision + recall);
    }

    /// <summary>Whether <paramref name="estimatedBpm"/> is within <paramref name="tolerance"/> (relative) of <paramref name="annotatedBpm"/>.</summary>
    public static bool TempoCorrect(double annotatedBpm, double estimatedBpm, double tolerance = 0.04) =>
        annotatedBpm > 0 && Math.Abs(estimatedBpm - annotatedBpm) <= tolerance * annotatedBpm;

    /// <summary>The annotated tempo of a beat list: 60 over the median inter-beat interval.</summary>
    public static double MedianTempo(IReadOnlyList<double> beats)
    {
        var intervals = beats.Zip(beats.Skip(1), (a, b) => b - a).Order().ToList();
        if (intervals.Count == 0) return 0;
        var middle = intervals.Count / 2;
        var median = intervals.Count % 2 == 1 ? intervals[middle] : (intervals[middle - 1] + intervals[middle]) / 2;
        return 60 / median;
    }
}
