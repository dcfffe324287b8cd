namespace VidPress.Core.Library;

/// <summary>The scene-change score ffmpeg gave one frame (0 = same picture, 1 = completely different).</summary>
public readonly record struct SceneScore(double Time, double Score);

/// <summary>A stretch of an asset between two cuts, in seconds.</summary>
public readonly record struct ShotSpan(double Start, double End)
{
    public double Duration => End - Start;
}

/// <summary>
/// Every frame of a video's scene pass as a tiny grey picture (<see cref="Width"/> × <see cref="Height"/>, one byte a pixel,
/// frame after frame in decoding order, the same frames as the scene scores): enough to compare any two frames' content.
/// </summary>
public sealed record TinyFrames(int Width, int Height, byte[] Pixels)
{
    public const int DefaultWidth = 16, DefaultHeight = 9;
    public int Count => Pixels.Length / (Width * Height);

    /// <summary>Mean absolute difference of frames <paramref name="a"/> and <paramref name="b"/>, 0–1.</summary>
    public double Difference(int a, int b)
    {
        var size = Width * Height;
        var sum = 0;
        for (int i = a * size, j = b * size, end = i + size; i < end; i++, j++) sum += Math.Abs(Pixels[i] - Pixels[j]);
        return sum / (255.0 * size);
    }

    /// <summary>
    /// How far frame <paramref name="middle"/> lies outside the span between frames <paramref name="a"/> and
    /// <paramref name="b"/>, pixel by pixel (0–1, mean over pixels). A dissolve's or a wipe's middle frame lies between
    /// its ends (each pixel a blend of the two, or one of them); a moving camera's does not.
    /// </summary>
    public double OutsideSpan(int a, int middle, int b)
    {
        var size = Width * Height;
        var sum = 0;
        for (var p = 0; p < size; p++)
        {
            int x = Pixels[a * size + p], y = Pixels[b * size + p], m = Pixels[middle * size + p];
            sum += Math.Max(0, Math.Max(Math.Min(x, y) - m, m - Math.Max(x, y)));
        }
        return sum / (255.0 * size);
    }

    /// <summary>Mean and brightest pixel of a frame, 0–1.</summary>
    public (double Mean, double Max) Brightness(int frame)
    {
        var size = Width * Height;
        int sum = 0, max = 0;
        for (int i = frame * size, end = i + size; i < end; i++)
        {
            sum += Pixels[i];
            max = Math.Max(max, Pixels[i]);
        }
        return (sum / (255.0 * size), max / 255.0);
    }
}

/// <summary>The shots of a video and the stretches of it inside a transition (a dissolve, a wipe, a fade), where no keyframe should be.</summary>
public sealed record ShotSplit(IReadOnlyList<ShotSpan> Shots, IReadOnlyList<ShotSpan> Transitions)
{
    public bool InTransition(double time) => Transitions.Any(t => time >= t.Start && time <= t.End);
}

/// <summary>Turns per-frame scene scores into shots.</summary>
public static class ShotBoundaries
{
    /// <summary>Two frames at most this different (mean absolute, 0–1) show the same content.</summary>
    public const double SameContent = 0.025;
    /// <summary>The longest flash: content back within this many seconds was never left.</summary>
    public const double FlashSeconds = 0.5;
    /// <summary>A frame darker than this on average (and nowhere brighter than <see cref="DarkMax"/>) is black.</summary>
    private const double DarkMean = 30 / 255.0, DarkMax = 48 / 255.0;

    /// <summary>
    /// Shots from the scene scores and, when the scene pass kept them, every frame's tiny picture. Hard cuts are
    /// <see cref="Split"/>'s, less those that are a flash (a few frames, bright or not, after which the picture is back
    /// within <see cref="FlashSeconds"/> to what it was before). Gradual transitions are found as runs of frames whose
    /// picture a second before and a second after differ by at least <paramref name="gradualMinChange"/>, with the frame
    /// itself between the two, pixel by pixel (dissolves and wipes, not camera motion), and the second before and the second
    /// after each steadier than the change (not a slow drift); the cut is the run's middle. Fades through black are runs of
    /// black frames between pictures; the cut is the run's middle. Hard cuts come first, then the others where they keep
    /// <paramref name="minShotSeconds"/> from every cut and from both ends. Without tiny frames this is <see cref="Split"/>.
    /// </summary>
    public static ShotSplit Detect(IReadOnlyList<SceneScore> scores, TinyFrames? frames, double duration, double threshold, double minShotSeconds,
        double peakMinScore = double.PositiveInfinity, double peakRatio = 4, double gradualMinChange = 0.08)
    {
        if (frames is null || frames.Count != scores.Count || scores.Count < 8 || duration <= 0)
            return new ShotSplit(Split(scores, duration, threshold, minShotSeconds, peakMinScore, peakRatio), []);
        var n = scores.Count;
        var times = scores.Select(s => s.Time).ToArray();
        var frameRate = (n - 1) / Math.Max(1e-3, times[^1] - times[0]);
        var all = scores.ToArray();
        var flash = Math.Max(1, (int)Math.Round(frameRate * FlashSeconds));
        var hard = Enumerable.Range(1, n - 1).Where(i => IsCut(all, i, threshold, peakMinScore, peakRatio, 12) && !IsFlash(frames, i, flash)).ToList();

        var others = new List<int>();
        var transitions = new List<ShotSpan>();
        var k = Math.Max(2, (int)Math.Round(frameRate));
        var darkRuns = new List<(int From, int To)>();
        for (var i = 1; i < n - 1; i++)
        {
            if (!IsDark(frames, i) || IsDark(frames, i - 1)) continue;
            var end = i;
            while (end + 1 < n && IsDark(frames, end + 1)) end++;
            if (end + 1 >= n) break;
            int from = i, to = end;
            while (from > 0 && i - from < 2 * k && frames.Brightness(from - 1).Mean > frames.Brightness(from).Mean + 0.5 / 255) from--;
            while (to + 1 < n && to - end < 2 * k && frames.Brightness(to + 1).Mean > frames.Brightness(to).Mean + 0.5 / 255) to++;
            darkRuns.Add((from, to));
            // Faded out and back in to the same picture: a blink, not a new shot.
            if (from > 0 && to + 1 < n && frames.Difference(from - 1, to + 1) >= SameContent)
            {
                others.Add((i + end) / 2);
                transitions.Add(new ShotSpan(times[from], times[to]));
            }
            i = end;
        }

        var run = -1;
        for (var i = k; i <= n - k; i++)
        {
            var inside = i < n - k && Gradual(frames, i, k, gradualMinChange);
            if (inside && run < 0) run = i;
            if (inside || run < 0) continue;
            int first = run, last = i - 1, middle = (first + last) / 2;
            run = -1;
            // A hard cut looks like a transition from a second away; it is that cut.
            if (hard.Any(h => h >= first - 1 && h <= last + 1)) continue;
            // A fade through black passes for a dissolve at its edges; it was found as the fade it is.
            if (darkRuns.Any(d => first <= d.To + k && last >= d.From - k)) continue;
            // How long the transition itself ran is not told by the run; a second either side of its middle covers the usual ones.
            others.Add(middle);
            transitions.Add(new ShotSpan(times[Math.Max(0, middle - k)], times[Math.Min(n - 1, middle + k)]));
        }
        var cuts = new List<double>();
        foreach (var time in hard.Select(i => times[i]).Concat(others.Select(i => times[i])))
        {
            if (time < minShotSeconds || duration - time < minShotSeconds || cuts.Any(c => Math.Abs(c - time) < minShotSeconds)) continue;
            cuts.Add(time);
        }
        cuts.Sort();
        var spans = new List<ShotSpan>(cuts.Count + 1);
        var start = 0.0;
        foreach (var cut in cuts)
        {
            spans.Add(new ShotSpan(start, cut));
            start = cut;
        }
        spans.Add(new ShotSpan(start, duration));
        return new ShotSplit(spans, transitions);
    }

    private static bool IsCut(SceneScore[] frames, int i, double threshold, double peakMinScore, double peakRatio, int window) =>
        frames[i].Score > threshold || (frames[i].Score >= peakMinScore && frames[i].Score >= peakRatio * NeighbourhoodMean(frames, i, window));

    /// <summary>Whether, within <paramref name="span"/> frames around the change into frame <paramref name="i"/>, a frame after it shows what one before it did.</summary>
    private static bool IsFlash(TinyFrames frames, int i, int span)
    {
        for (var a = i - 1; a >= Math.Max(0, i - span); a--)
            for (var b = i + 1; b < frames.Count && b - a <= span; b++)
                if (frames.Difference(a, b) < SameContent) return true;
        return false;
    }

    private static bool Gradual(TinyFrames frames, int i, int k, double minChange)
    {
        int a = i - k, b = i + k;
        var change = frames.Difference(a, b);
        if (change < minChange) return false;
        if (frames.OutsideSpan(a, i, b) > 0.2 * change) return false;
        return frames.Difference(Math.Max(0, a - k), a) <= 0.5 * change && frames.Difference(b, Math.Min(frames.Count - 1, b + k)) <= 0.5 * change;
    }

    private static bool IsDark(TinyFrames frames, int i)
    {
        var (mean, max) = frames.Brightness(i);
        return mean < DarkMean && max < DarkMax;
    }

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
            if (!IsCut(frames, i, threshold, peakMinScore, peakRatio, window)) continue;
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
    /// gets none. With <paramref name="split"/>, candidates inside its transitions are passed over while the shot has others.
    /// </summary>
    public static IReadOnlyList<int> PickCandidates(IReadOnlyList<double> candidateTimes, ShotSpan shot, double interval, bool lastShot,
        ShotSplit? split = null)
    {
        var inside = Enumerable.Range(0, candidateTimes.Count)
            .Where(i => candidateTimes[i] >= shot.Start && (candidateTimes[i] < shot.End || lastShot)).ToList();
        // Frames inside a transition show two shots at once (or black): never a keyframe while the shot has others.
        if (split is not null && inside.Any(i => !split.InTransition(candidateTimes[i]))) inside.RemoveAll(i => split.InTransition(candidateTimes[i]));
        if (inside.Count == 0) return [];
        return KeyframeTimes(shot, interval)
            .Select(t => inside.MinBy(i => Math.Abs(candidateTimes[i] - t)))
            .Distinct().Order().ToList();
    }
}
