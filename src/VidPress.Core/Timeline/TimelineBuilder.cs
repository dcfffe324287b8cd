using Microsoft.Extensions.Options;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;

namespace VidPress.Core.Timeline;

/// <summary>
/// Lays the picture under the narration. Cuts fall in the pauses between sentences (a long sentence gets
/// extra cuts inside it), on frame edges, moved onto music beats where there is music. Every (clip slot,
/// shot segment) pair is scored, and <see cref="ShotAssignment"/> picks the set of shots with the highest
/// total, each shot once and no asset twice in a row. Slots without a good enough shot get a title card.
/// </summary>
public sealed class TimelineBuilder(IOptions<TimelineOptions> options)
{
    private readonly TimelineOptions _options = options.Value;

    public TimelineDocument Build(ScriptDocument script, NarrationDocument narration, CandidatesDocument candidates, VideoFormat format, TimelineExtras? extras = null)
    {
        extras ??= TimelineExtras.None;
        var fps = _options.FrameRate;
        var totalFrames = (int)Math.Round(narration.DurationSeconds * fps);
        var slots = Slots(script, narration, extras, fps, totalFrames);
        if (extras.Music is { Beats.Count: > 0 } music)
        {
            var cuts = slots.Select(s => s.StartFrame).Append(totalFrames).ToArray();
            var spans = narration.Sentences.ToDictionary(n => n.Index);
            var beatPeriod = music.TempoBpm > 0 ? 60 / music.TempoBpm : 0.5;
            var windows = cuts.Select((cut, i) =>
            {
                var t = cut / (double)fps;
                // Between sentences the cut may sit anywhere in the pause (and the snap distance into speech);
                // inside a long sentence the picture cut is free anyway, so half a beat either way.
                if (i > 0 && i < slots.Count && slots[i].Part == 0 && spans.TryGetValue(slots[i - 1].SentenceIndex, out var before) && spans.TryGetValue(slots[i].SentenceIndex, out var after))
                    return (Math.Min(t, before.EndSeconds) - _options.BeatSnapSeconds, Math.Max(t, after.StartSeconds) + _options.BeatSnapSeconds);
                var half = Math.Max(_options.BeatSnapSeconds, beatPeriod / 2);
                return (t - half, t + half);
            }).ToList();
            var snapped = BeatSnapping.Snap(cuts, music.Beats, fps, windows);
            slots = slots.Select((s, i) => s with { StartFrame = snapped[i], EndFrame = snapped[i + 1] }).ToList();
        }

        var scoring = new ShotScoring(_options);
        var bySentence = candidates.Sentences.ToDictionary(c => c.SentenceIndex, c => c.Shots);
        var shotIds = new Dictionary<Guid, int>();
        var assetIds = new Dictionary<Guid, int>();
        var segments = new List<IReadOnlyList<ShotSegment>>();
        var options = new List<IReadOnlyList<SlotOption>>();
        foreach (var slot in slots)
        {
            var seconds = slot.Seconds(fps);
            var best = (bySentence.GetValueOrDefault(slot.SentenceIndex) ?? [])
                .Where(s => s.Score >= _options.MinimumShotScore)
                .GroupBy(s => s.ShotId)
                .Select(g => g.SelectMany(s => scoring.Segments(s, seconds, slot.Anchors, extras.DetailsOf(s.ShotId))).MaxBy(x => x.Scores.Total)!)
                .ToList();
            segments.Add(best);
            options.Add(best.Select(s => new SlotOption(
                Id(shotIds, s.Shot.ShotId), Id(assetIds, s.Shot.AssetId), s.Scores.Total)).ToList());
        }
        var selection = ShotAssignment.Solve(options, _options.TitleCardScore, _options.MaxSearchNodes);

        var frameAspect = format.Width / (double)format.Height;
        var clips = new List<TimelineClip>();
        var stills = 0;
        for (var i = 0; i < slots.Count; i++)
        {
            var slot = slots[i];
            var start = slot.StartFrame / (double)fps;
            var end = slot.EndFrame / (double)fps;
            if (selection.Choices[i] < 0)
            {
                clips.Add(new TimelineClip
                {
                    SentenceIndex = slot.SentenceIndex, Part = slot.Part, Text = slot.Text, Start = start, End = end,
                    Kind = ClipKind.TitleCard, CardText = CardText(slot), Fallback = true,
                });
                continue;
            }
            var pick = segments[i][selection.Choices[i]];
            var shot = pick.Shot;
            var clip = new TimelineClip
            {
                SentenceIndex = slot.SentenceIndex, Part = slot.Part, Text = slot.Text, Start = start, End = end,
                Kind = shot.Kind == AssetKind.Image ? ClipKind.Still : ClipKind.VideoShot,
                ShotId = shot.ShotId, AssetId = shot.AssetId, AssetTitle = shot.Title, Score = shot.Score,
                MatchedPhrase = shot.MatchedPhrase, MatchedTerms = shot.MatchedTerms, Scores = pick.Scores, SourceStart = pick.SourceStart, SourceEnd = pick.SourceEnd,
            };
            if (clip.Kind == ClipKind.Still)
            {
                // Alternate zooming in and out so consecutive stills don't pump the same way.
                var (motion, crops) = KenBurnsPlanner.Plan(extras.DetailsOf(shot.ShotId), frameAspect, _options.KenBurnsZoom, stills++ % 2 == 0);
                clip = clip with { Motion = motion, Crops = crops };
            }
            clips.Add(clip);
        }

        var sentences = script.Sentences.Zip(narration.Sentences)
            .Select(p => new TimelineSentence(p.First.Index, p.First.Text, p.Second.StartSeconds, p.Second.EndSeconds, extras.AnchorsOf(p.First.Index)))
            .ToList();
        var subtitles = sentences.SelectMany(s => SubtitleCues(s.Text, s.Start, s.End, script.Language)).ToList();
        var duration = totalFrames / (double)fps;
        return new TimelineDocument
        {
            AspectRatio = format.AspectRatio, Resolution = format.Resolution, Width = format.Width, Height = format.Height,
            FrameRate = fps, DurationSeconds = duration, Language = script.Language,
            NarrationKey = narration.AudioKey, Subtitles = subtitles, CrossfadeSeconds = _options.CrossfadeSeconds,
            Clips = _options.Transition == Transition.Cut ? clips : clips.Select((c, i) => i == 0 ? c : c with { TransitionIn = _options.Transition }).ToList(),
            Title = extras.ArticleTitle, Sentences = sentences, Overlays = Overlays(extras.ArticleTitle, sentences, duration),
            Music = extras.Music,
            Selection = new SelectionSummary(Math.Round(selection.Total, 6), selection.Optimal, selection.NodesExplored, _options.Weights),
        };
    }

    /// <summary>A fallback clip whose still could not be generated stays a title card, with the reason an editor reads.</summary>
    public TimelineDocument KeepTitleCard(TimelineDocument timeline, int clipIndex, string reason)
    {
        var clips = timeline.Clips.ToArray();
        if (!clips[clipIndex].Fallback) throw new InvalidOperationException($"Clip {clipIndex} shows a library shot; only fallback clips wait for stills.");
        clips[clipIndex] = clips[clipIndex] with { GenerationError = reason };
        return timeline with { Clips = clips };
    }

    /// <summary>
    /// Puts a generated still where a fallback title card was: the generation side calls this once it has
    /// stored the still as an asset, so the renderer draws it like any still, labelled as AI-generated.
    /// </summary>
    public TimelineDocument UseGeneratedStill(TimelineDocument timeline, int clipIndex, Guid assetId, ShotDetails? details = null)
    {
        var clip = timeline.Clips[clipIndex];
        if (!clip.Fallback) throw new InvalidOperationException($"Clip {clipIndex} shows a library shot; only fallback clips take generated stills.");
        var (motion, crops) = KenBurnsPlanner.Plan(details ?? new ShotDetails(), timeline.Width / (double)timeline.Height, _options.KenBurnsZoom, clipIndex % 2 == 0);
        var clips = timeline.Clips.ToArray();
        clips[clipIndex] = clip with
        {
            Kind = ClipKind.GeneratedStill,
            Generated = true,
            AssetId = assetId,
            ShotId = null,
            AssetTitle = "AI-generated",
            Motion = motion,
            Crops = crops,
        };
        var overlays = timeline.Overlays.Append(new TextOverlay(OverlayKind.GeneratedLabel, clip.Start, clip.End, "AI-generated image")).ToList();
        return timeline with { Version = Math.Max(timeline.Version, 2), Clips = clips, Overlays = overlays };
    }

    private static int Id(Dictionary<Guid, int> ids, Guid id)
    {
        if (!ids.TryGetValue(id, out var n)) ids[id] = n = ids.Count;
        return n;
    }

    private static string CardText(ClipSlot slot) =>
        slot.Anchors.Count > 0 ? string.Join(" · ", slot.Anchors.Select(a => a.Text).Distinct()) : slot.Text;

    /// <summary>One slot per sentence, or several equal parts when it is spoken for longer than a clip may last.</summary>
    private List<ClipSlot> Slots(ScriptDocument script, NarrationDocument narration, TimelineExtras extras, int fps, int totalFrames)
    {
        var cuts = CutFrames(narration, fps, totalFrames);
        var maxFrames = Math.Max(1, (int)Math.Round(_options.MaxClipSeconds * fps));
        var slots = new List<ClipSlot>();
        for (var i = 0; i < script.Sentences.Count; i++)
        {
            var sentence = script.Sentences[i];
            int from = cuts[i], to = cuts[i + 1];
            var parts = Math.Clamp((to - from + maxFrames - 1) / maxFrames, 1, Math.Max(1, to - from));
            for (var p = 0; p < parts; p++)
                slots.Add(new ClipSlot(sentence.Index, p, sentence.Text,
                    from + (int)((long)(to - from) * p / parts), from + (int)((long)(to - from) * (p + 1) / parts), extras.AnchorsOf(sentence.Index)));
        }
        return slots;
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

    /// <summary>
    /// The opening title over the first seconds (overlaid, so the narration still starts at 0), and a lower
    /// third the first time each person or organisation is an anchor, kept clear of the opening title.
    /// </summary>
    private List<TextOverlay> Overlays(string? title, IReadOnlyList<TimelineSentence> sentences, double duration)
    {
        var overlays = new List<TextOverlay>();
        var titleEnd = 0.0;
        if (!string.IsNullOrWhiteSpace(title))
        {
            titleEnd = Math.Min(_options.OpeningTitleSeconds, duration);
            overlays.Add(new TextOverlay(OverlayKind.OpeningTitle, 0, titleEnd, title.Trim()));
        }
        var named = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var sentence in sentences)
        {
            var start = Math.Max(sentence.Start, titleEnd);
            var end = Math.Min(sentence.End, sentence.Start + _options.LowerThirdSeconds);
            if (end - start < _options.MinimumLowerThirdSeconds) continue;
            var anchor = sentence.Anchors.FirstOrDefault(a => a.Kind is AnchorKind.Person or AnchorKind.Organisation
                && !string.IsNullOrWhiteSpace(a.Text) && !named.Contains(a.Text.Trim()));
            if (anchor is null) continue;
            named.Add(anchor.Text.Trim());
            overlays.Add(new TextOverlay(OverlayKind.LowerThird, Math.Round(start, 3), Math.Round(end, 3), anchor.Text.Trim(),
                anchor.Kind == AnchorKind.Person ? "Person" : "Organisation"));
        }
        return overlays;
    }

    /// <summary>
    /// Splits a sentence into one cue per phrase (at commas and other punctuation), each at most
    /// <see cref="TimelineOptions.LinesPerCue"/> lines, timed by their share of the characters.
    /// </summary>
    internal IEnumerable<SubtitleCue> SubtitleCues(string text, double start, double end, string language)
    {
        var chinese = language == Languages.Chinese;
        var cues = new List<string>();
        foreach (var phrase in Phrases(text, chinese, chinese ? Math.Max(1, _options.MinimumPhraseCharacters / 2) : _options.MinimumPhraseCharacters))
        {
            var lines = SubtitleLines.Break(phrase, _options.EnglishCharactersPerLine, _options.ChineseCharactersPerLine);
            cues.AddRange(lines.Chunk(_options.LinesPerCue).Select(chunk => string.Join('\n', chunk)));
        }
        var total = cues.Sum(c => c.Length);
        var t = start;
        foreach (var cue in cues)
        {
            var next = t + (end - start) * cue.Length / total;
            yield return new SubtitleCue(Math.Round(t, 3), Math.Round(next, 3), cue);
            t = next;
        }
    }

    private const string ChineseBreaks = "，。！？；：";
    private const string EnglishBreaks = ",;:.!?";

    /// <summary>
    /// Phrases end at punctuation (in English only when a space follows, so "3.5" and "U.S." stay whole);
    /// a phrase too short to read on its own joins the next.
    /// </summary>
    internal static List<string> Phrases(string text, bool chinese, int minimumCharacters)
    {
        var raw = new List<string>();
        var from = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var breaks = chinese
                ? ChineseBreaks.Contains(text[i]) || (EnglishBreaks.Contains(text[i]) && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
                : EnglishBreaks.Contains(text[i]) && i + 1 < text.Length && char.IsWhiteSpace(text[i + 1]) && !IsInitial(text, i);
            if (!breaks) continue;
            raw.Add(text[from..(i + 1)].Trim());
            from = i + 1;
        }
        if (from < text.Length) raw.Add(text[from..].Trim());
        raw.RemoveAll(string.IsNullOrEmpty);

        var phrases = new List<string>();
        var pending = "";
        foreach (var phrase in raw)
        {
            pending = pending.Length == 0 ? phrase : chinese ? pending + phrase : pending + " " + phrase;
            if (pending.Length >= minimumCharacters) { phrases.Add(pending); pending = ""; }
        }
        if (pending.Length > 0)
        {
            if (phrases.Count == 0) phrases.Add(pending);
            else phrases[^1] = chinese ? phrases[^1] + pending : phrases[^1] + " " + pending;
        }
        return phrases;
    }

    // "U.S. officials", "J. Smith": a full stop after a single capital is an abbreviation, not a phrase end.
    private static bool IsInitial(string text, int i) =>
        text[i] == '.' && i >= 1 && char.IsUpper(text[i - 1]) && (i == 1 || !char.IsLetter(text[i - 2]));
}
