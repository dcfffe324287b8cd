using VidPress.Core.Library;
using VidPress.Core.Script;

namespace VidPress.Core.Timeline;

/// <summary>A stretch of picture to fill: one sentence, or one part of a sentence too long for one shot.</summary>
internal sealed record ClipSlot(int SentenceIndex, int Part, string Text, int StartFrame, int EndFrame, IReadOnlyList<AnchorPoint> Anchors)
{
    public double Seconds(int fps) => (EndFrame - StartFrame) / (double)fps;
}

/// <summary>A piece of a candidate shot cut to a slot's length, and how well it fits there.</summary>
internal sealed record ShotSegment(ShotCandidate Shot, double SourceStart, double SourceEnd, ClipScores Scores);

/// <summary>Cuts candidates into segments that fit a slot and scores each (slot, segment) pair.</summary>
internal sealed class ShotScoring(TimelineOptions options)
{
    /// <summary>
    /// The segments a shot offers for a clip of <paramref name="seconds"/>: a still is one segment; a video
    /// shorter than the clip is itself (it will hold its last frame); a longer one offers back-to-back
    /// windows, its tail, and the window centred on its best keyframe.
    /// </summary>
    public IEnumerable<ShotSegment> Segments(ShotCandidate shot, double seconds, IReadOnlyList<AnchorPoint> anchors, ShotDetails details)
    {
        var anchor = AnchorMatch(shot, anchors);
        var quality = Math.Clamp(details.Quality, 0, 1);
        if (shot.Kind == AssetKind.Image)
        {
            var fit = seconds <= options.StillComfortSeconds ? 1 : options.StillComfortSeconds / seconds;
            yield return new ShotSegment(shot, 0, 0, Score(shot.Score, anchor, quality, fit, options.StillMotion));
            yield break;
        }
        var length = shot.ShotEnd - shot.ShotStart;
        if (length <= seconds + 1e-9)
        {
            var fit = length <= 0 ? 0 : length / seconds;
            yield return new ShotSegment(shot, shot.ShotStart, shot.ShotEnd, Score(shot.Score, anchor, quality, fit, 1));
            yield break;
        }
        var starts = new SortedSet<double>();
        for (var s = shot.ShotStart; s + seconds <= shot.ShotEnd + 1e-9; s += seconds) starts.Add(Math.Round(s, 3));
        starts.Add(Math.Round(shot.ShotEnd - seconds, 3));
        starts.Add(Math.Round(Math.Clamp(shot.BestTime - seconds / 2, shot.ShotStart, shot.ShotEnd - seconds), 3));
        foreach (var start in starts)
        {
            var end = Math.Min(shot.ShotEnd, start + seconds);
            // CLIP scored the shot by its best keyframe; a window that misses it is only probably as relevant.
            var holdsBest = shot.BestTime >= start - 1e-9 && shot.BestTime <= end + 1e-9;
            var relevance = holdsBest ? shot.Score : shot.Score * options.OffKeyframeRelevance;
            yield return new ShotSegment(shot, start, end, Score(relevance, anchor, quality, 1, 1));
        }
    }

    /// <summary>The share of a sentence's anchor points that the shot's matched phrase or title mentions.</summary>
    internal static double AnchorMatch(ShotCandidate shot, IReadOnlyList<AnchorPoint> anchors)
    {
        if (anchors.Count == 0) return 0;
        var hits = anchors.Count(a => !string.IsNullOrWhiteSpace(a.Text)
            && ((shot.MatchedPhrase?.Contains(a.Text, StringComparison.OrdinalIgnoreCase) ?? false)
                || shot.Title.Contains(a.Text, StringComparison.OrdinalIgnoreCase)));
        return hits / (double)anchors.Count;
    }

    private ClipScores Score(double relevance, double anchor, double quality, double fit, double motion)
    {
        var w = options.Weights;
        var total = w.Relevance * relevance + w.Anchor * anchor + w.Quality * quality + w.DurationFit * fit + w.Motion * motion;
        return new ClipScores(Math.Round(relevance, 6), Math.Round(anchor, 6), Math.Round(quality, 6), Math.Round(fit, 6), Math.Round(motion, 6), Math.Round(total, 6));
    }
}
