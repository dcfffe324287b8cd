using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;

namespace VidPress.Core.Timeline;

public sealed class TimelineOptions
{
    public int FrameRate { get; set; } = 30;
    /// <summary>Below this similarity a sentence gets a title card instead of a shot.</summary>
    public double MinimumShotScore { get; set; } = 0.0;
    public int EnglishCharactersPerLine { get; set; } = 42;
    public int ChineseCharactersPerLine { get; set; } = 16;
    public int LinesPerCue { get; set; } = 2;
}

/// <summary>
/// Lays the picture under the narration: each sentence gets the best shot not used yet (or a title
/// card when nothing scores well enough); cuts fall in the pauses between sentences, on frame edges.
/// </summary>
public sealed class TimelineBuilder(IOptions<TimelineOptions> options)
{
    private readonly TimelineOptions _options = options.Value;

    public TimelineDocument Build(ScriptDocument script, NarrationDocument narration, CandidatesDocument candidates, VideoFormat format)
    {
        var fps = _options.FrameRate;
        var totalFrames = (int)Math.Round(narration.DurationSeconds * fps);
        var cuts = CutFrames(narration, fps, totalFrames);
        var used = new HashSet<Guid>();
        var clips = new List<TimelineClip>();
        for (var i = 0; i < script.Sentences.Count; i++)
        {
            var sentence = script.Sentences[i];
            var start = cuts[i] / (double)fps;
            var end = cuts[i + 1] / (double)fps;
            var pick = candidates.Sentences.FirstOrDefault(c => c.SentenceIndex == sentence.Index)?.Shots
                .Where(s => !used.Contains(s.ShotId) && s.Score >= _options.MinimumShotScore)
                .MaxBy(s => s.Score);
            if (pick is null)
            {
                clips.Add(new TimelineClip { SentenceIndex = sentence.Index, Text = sentence.Text, Start = start, End = end, Kind = ClipKind.TitleCard, CardText = sentence.Text });
                continue;
            }
            used.Add(pick.ShotId);
            clips.Add(pick.Kind == AssetKind.Image
                ? new TimelineClip
                {
                    SentenceIndex = sentence.Index, Text = sentence.Text, Start = start, End = end, Kind = ClipKind.Still,
                    ShotId = pick.ShotId, AssetId = pick.AssetId, AssetTitle = pick.Title, Score = pick.Score, MatchedPhrase = pick.MatchedPhrase,
                    // Alternate zooming in and out so consecutive stills don't pump the same way.
                    Motion = clips.Count % 2 == 0 ? new KenBurns(1.0, 1.15, 0.5, 0.5, 0.5, 0.45) : new KenBurns(1.15, 1.0, 0.5, 0.45, 0.5, 0.5),
                }
                : new TimelineClip
                {
                    SentenceIndex = sentence.Index, Text = sentence.Text, Start = start, End = end, Kind = ClipKind.VideoShot,
                    ShotId = pick.ShotId, AssetId = pick.AssetId, AssetTitle = pick.Title, Score = pick.Score, MatchedPhrase = pick.MatchedPhrase,
                    SourceStart = SourceStart(pick, end - start),
                });
        }

        var subtitles = script.Sentences.Zip(narration.Sentences)
            .SelectMany(p => SubtitleCues(p.First.Text, p.Second.StartSeconds, p.Second.EndSeconds, script.Language))
            .ToList();
        return new TimelineDocument
        {
            AspectRatio = format.AspectRatio, Resolution = format.Resolution, Width = format.Width, Height = format.Height,
            FrameRate = fps, DurationSeconds = totalFrames / (double)fps, Language = script.Language,
            NarrationKey = narration.AudioKey, Clips = clips, Subtitles = subtitles,
        };
    }

    /// <summary>Frame numbers of the cuts: 0, the middle of each pause, and the last frame.</summary>
    internal static int[] CutFrames(NarrationDocument narration, int fps, int totalFrames)
    {
        var spans = narration.Sentences;
        var cuts = new int[spans.Count + 1];
        cuts[spans.Count] = totalFrames;
        for (var i = 1; i < spans.Count; i++)
        {
            var pauseMiddle = (spans[i - 1].EndSeconds + spans[i].StartSeconds) / 2;
            cuts[i] = Math.Clamp((int)Math.Round(pauseMiddle * fps), cuts[i - 1] + 1, totalFrames - (spans.Count - i));
        }
        return cuts;
    }

    // Centre the clip on the keyframe that matched best, without leaving the shot.
    private static double SourceStart(ShotCandidate shot, double duration)
    {
        var latest = Math.Max(shot.ShotStart, shot.ShotEnd - duration);
        return Math.Clamp(shot.BestTime - duration / 2, shot.ShotStart, latest);
    }

    /// <summary>Splits a sentence into cues of at most two lines, timed by their share of the characters.</summary>
    internal IEnumerable<SubtitleCue> SubtitleCues(string text, double start, double end, string language)
    {
        var chinese = language == Languages.Chinese;
        var perLine = chinese ? _options.ChineseCharactersPerLine : _options.EnglishCharactersPerLine;
        var lines = chinese ? WrapByCharacters(text, perLine) : WrapByWords(text, perLine);
        var cues = lines.Chunk(_options.LinesPerCue).Select(chunk => string.Join('\n', chunk)).ToList();
        var total = cues.Sum(c => c.Length);
        var t = start;
        foreach (var cue in cues)
        {
            var next = t + (end - start) * cue.Length / total;
            yield return new SubtitleCue(Math.Round(t, 3), Math.Round(next, 3), cue);
            t = next;
        }
    }

    internal static List<string> WrapByWords(string text, int perLine)
    {
        var lines = new List<string>();
        var line = "";
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > perLine) { lines.Add(line); line = word; }
            else line = line.Length == 0 ? word : line + " " + word;
        }
        if (line.Length > 0) lines.Add(line);
        return lines;
    }

    // Chinese has no spaces for the subtitle renderer to break at, so lines are cut by count,
    // keeping closing punctuation on the line it ends.
    internal static List<string> WrapByCharacters(string text, int perLine)
    {
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var c in text)
        {
            if (line.Length >= perLine && !"，。！？、；：”』」）".Contains(c)) { lines.Add(line.ToString()); line.Clear(); }
            line.Append(c);
        }
        if (line.Length > 0) lines.Add(line.ToString());
        return lines;
    }
}
