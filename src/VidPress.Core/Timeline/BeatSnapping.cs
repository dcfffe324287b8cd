namespace VidPress.Core.Timeline;

/// <summary>Moves picture cuts onto music beats; the narration is not touched, so only the picture moves.</summary>
internal static class BeatSnapping
{
    /// <summary>
    /// Moves each interior cut (frame numbers, ascending, first and last fixed) to the frame nearest the
    /// closest beat when that beat is within <paramref name="window"/> seconds. A move that would leave a
    /// clip without a frame is skipped.
    /// </summary>
    public static int[] Snap(IReadOnlyList<int> cuts, IReadOnlyList<double> beats, int fps, double window) =>
        Snap(cuts, beats, fps, cuts.Select(c => (c / (double)fps - window, c / (double)fps + window)).ToList());

    /// <summary>
    /// Moves each interior cut to the beat nearest to it inside that cut's own window (seconds). A cut in a
    /// pause may go anywhere in the pause and up to the snap distance into the speech around it, which is
    /// what lets every such cut find a beat at ordinary tempos.
    /// </summary>
    public static int[] Snap(IReadOnlyList<int> cuts, IReadOnlyList<double> beats, int fps, IReadOnlyList<(double From, double To)> windows)
    {
        var snapped = cuts.ToArray();
        if (beats.Count == 0) return snapped;
        var sorted = beats.Order().ToArray();
        for (var i = 1; i < snapped.Length - 1; i++)
        {
            var t = snapped[i] / (double)fps;
            var k = Array.BinarySearch(sorted, t);
            if (k < 0) k = ~k;
            var best = double.NaN;
            var (from, to) = windows[i];
            // Walk outwards from t; the first beat inside the window on either side is the nearest one.
            for (int lo = k - 1, hi = k; lo >= 0 || hi < sorted.Length;)
            {
                var left = lo >= 0 && sorted[lo] >= from ? sorted[lo] : double.NaN;
                var right = hi < sorted.Length && sorted[hi] <= to ? sorted[hi] : double.NaN;
                if (double.IsNaN(left) && double.IsNaN(right)) break;
                best = double.IsNaN(right) || (!double.IsNaN(left) && t - left <= right - t) ? left : right;
                break;
            }
            if (double.IsNaN(best)) continue;
            var frame = (int)Math.Round(best * fps);
            if (frame > snapped[i - 1] && frame < cuts[i + 1]) snapped[i] = frame;
        }
        return snapped;
    }
}
