namespace VidPress.Core.Library;

/// <summary>The scene-change score ffmpeg gave one frame (0 = same picture, 1 = completely different).</summary>
public readonly record struct SceneScore(double Time, double Score);

/// <summary>A stretch of an asset between two cuts, in seconds.</summary>
public readonly record struct ShotSpan(double Start, double End)
{
    public double Duration => End - Start;
}

/// <summary>Turns per-frame scene scores into shots.</summary>
public static class ShotBoundaries
{
    /// <summary>
    /// A cut is a frame whose score exceeds <paramref name="threshold"/>, or, when <paramref name="peakMinScore"/> is
    /// given, a frame scoring at least that much and <paramref name="peakRatio"/> times the mean of the
    /// <paramref name="window"/> frames on each side. The second rule finds cuts between similar-looking shots
    /// (a muted background behind both), which score low in absolute terms but stand alone above a quiet
    /// neighbourhood; camera motion raises the neighbourhood too, so it does not pass. Cuts closer than
    /// <paramref name="minShotSeconds"/> to the previous cut or to either end are ignored: flashes score high for
    /// a few frames, and a shot too short to cut into a video is no use.
    /// </summary>
    public static IReadOnlyList<ShotSpan> Split(IEnumerable<SceneScore> scores, double duration, double threshold, double minShotSeconds,
        double peakMinScore = double.PositiveInfinity, double peakRatio = 4, int window = 12)
    {
        if (duration <= 0) return [new ShotSpan(0, 0)];
        var frames = scores.OrderBy(s => s.Time).ToArray();
        var cuts = new List<double>();
        var last = 0.0;
        for (var i = 0; i < frames.Length; i++)
        {
            var frame = frames[i];
            if (!(frame.Score > threshold || (frame.Score >= peakMinScore && frame.Score >= peakRatio * NeighbourhoodMean(frames, i, window))))
                continue;
            if (frame.Time - last < minShotSeconds || duration - frame.Time < minShotSeconds) continue;
            cuts.Add(frame.Time);
            last = frame.Time;
        }
        var spans = new List<ShotSpan>(cuts.Count + 1);
        var start = 0.0;
        foreach (var cut in cuts)
        {
            spans.Add(new ShotSpan(start, cut));
            start = cut;
        }
        spans.Add(new ShotSpan(start, duration));
        return spans;
    }

    private static double NeighbourhoodMean(SceneScore[] frames, int index, int window)
    {
        double sum = 0;
        var count = 0;
        for (var j = Math.Max(0, index - window); j <= Math.Min(frames.Length - 1, index + window); j++)
        {
            if (j == index) continue;
            sum += frames[j].Score;
            count++;
        }
        return count == 0 ? 0 : sum / count;
    }

    /// <summary>
    /// Keyframe times in a shot: the middle of every interval-long window, so a short shot gets one keyframe
    /// in its middle and a long one one every interval, none right on a cut (where frames blend or flash).
    /// </summary>
    public static IReadOnlyList<double> KeyframeTimes(ShotSpan shot, double interval)
    {
        var duration = shot.Duration;
        if (duration <= interval) return [Math.Round(shot.Start + duration / 2, 3)];
        var count = (int)Math.Floor(duration / interval);
        var slack = (duration - count * interval) / 2;
        return Enumerable.Range(0, count).Select(i => Math.Round(shot.Start + slack + interval * (i + 0.5), 3)).ToList();
    }

    /// <summary>
    /// The candidate frames (indices into <paramref name="candidateTimes"/>, sorted by time) that stand for a shot's
    /// <see cref="KeyframeTimes"/>: for each planned time the nearest candidate inside the shot (from its start, up to
    /// but not including its end unless it is the last shot), each candidate once. A shot without a candidate inside
    /// gets none.
    /// </summary>
    public static IReadOnlyList<int> PickCandidates(IReadOnlyList<double> candidateTimes, ShotSpan shot, double interval, bool lastShot)
    {
        var inside = Enumerable.Range(0, candidateTimes.Count)
            .Where(i => candidateTimes[i] >= shot.Start && (candidateTimes[i] < shot.End || lastShot)).ToList();
        if (inside.Count == 0) return [];
        return KeyframeTimes(shot, interval)
            .Select(t => inside.MinBy(i => Math.Abs(candidateTimes[i] - t)))
            .Distinct().Order().ToList();
    }
}
