namespace VidPress.Core.Timeline;

/// <summary>Moves picture cuts onto music beats; the narration is not touched, so only the picture moves.</summary>
internal static class BeatSnapping
{
    /// <summary>
    /// Moves each interior cut (frame numbers, ascending, first and last fixed) to the frame nearest the
    /// closest beat when that beat is within <paramref name="window"/> seconds. A move that would leave a
    /// clip without a frame is skipped.
    /// </summary>
    public static int[] Snap(IReadOnlyList<int> cuts, IReadOnlyList<double> beats, int fps, double window)
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
            foreach (var j in new[] { k - 1, k })
                if (j >= 0 && j < sorted.Length && (double.IsNaN(best) || Math.Abs(sorted[j] - t) < Math.Abs(best - t))) best = sorted[j];
            if (double.IsNaN(best) || Math.Abs(best - t) > window) continue;
            var frame = (int)Math.Round(best * fps);
            if (frame > snapped[i - 1] && frame < cuts[i + 1]) snapped[i] = frame;
        }
        return snapped;
    }
}
