using System.Text.Json;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Script;
using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Timeline;

public class TimelineBuilderTests
{
    private static readonly VideoFormat Landscape = VideoFormat.Create("16:9", "720p");

    private static TimelineBuilder Builder(Action<TimelineOptions>? configure = null)
    {
        var options = new TimelineOptions();
        configure?.Invoke(options);
        return new TimelineBuilder(Options.Create(options));
    }

    /// <summary>Sentences of the given spoken lengths with 0.4 s pauses between them.</summary>
    private static (ScriptDocument, NarrationDocument) Story(params double[] lengths)
    {
        var sentences = new List<ScriptSentence>();
        var spans = new List<NarratedSentence>();
        var t = 0.2;
        for (var i = 0; i < lengths.Length; i++)
        {
            sentences.Add(new ScriptSentence(i, $"Sentence number {i}, which says something, and then ends."));
            spans.Add(new NarratedSentence(i, t, t + lengths[i]));
            t += lengths[i] + 0.4;
        }
        return (new ScriptDocument(Languages.English, sentences), new NarrationDocument("narration.wav", "en", t, spans));
    }

    private static ShotCandidate Video(Guid asset, double score, double start = 0, double end = 10, string phrase = "") =>
        new(Guid.NewGuid(), asset, AssetKind.Video, "clip", score, start, end, (start + end) / 2, phrase);

    private static ShotCandidate Still(double score, string title = "photo") =>
        new(Guid.NewGuid(), Guid.NewGuid(), AssetKind.Image, title, score, 0, 0, 0, "");

    [Fact]
    public void A_sentence_whose_best_shot_is_below_the_threshold_gets_a_title_card_with_its_anchor()
    {
        var (script, narration) = Story(3, 3);
        var candidates = new CandidatesDocument([
            new SentenceCandidates(0, [Video(Guid.NewGuid(), 0.31)]),
            new SentenceCandidates(1, [Video(Guid.NewGuid(), 0.12), Still(0.15)]),
        ]);
        var extras = new TimelineExtras { Anchors = new Dictionary<int, IReadOnlyList<AnchorPoint>> { [1] = [new AnchorPoint("Lake Geneva", AnchorKind.Place, 1)] } };

        var timeline = Builder(o => o.MinimumShotScore = 0.2).Build(script, narration, candidates, Landscape, extras);

        Assert.Equal(ClipKind.VideoShot, timeline.Clips[0].Kind);
        Assert.False(timeline.Clips[0].Fallback);
        Assert.NotNull(timeline.Clips[0].Scores);
        var card = timeline.Clips[1];
        Assert.Equal(ClipKind.TitleCard, card.Kind);
        Assert.True(card.Fallback);
        Assert.Equal("Lake Geneva", card.CardText);

        var generatedAsset = Guid.NewGuid();
        var withStill = Builder().UseGeneratedStill(timeline, 1, generatedAsset);
        Assert.Equal(ClipKind.GeneratedStill, withStill.Clips[1].Kind);
        Assert.True(withStill.Clips[1].Generated);
        Assert.Equal(generatedAsset, withStill.Clips[1].AssetId);
        Assert.Contains(withStill.Overlays, o => o.Kind == OverlayKind.GeneratedLabel && o.Start == card.Start);
        Assert.Throws<InvalidOperationException>(() => Builder().UseGeneratedStill(timeline, 0, generatedAsset));
    }

    [Fact]
    public void Without_a_threshold_every_sentence_with_candidates_gets_a_shot()
    {
        var (script, narration) = Story(3, 3);
        var candidates = new CandidatesDocument([
            new SentenceCandidates(0, [Video(Guid.NewGuid(), 0.12)]),
            new SentenceCandidates(1, [Still(0.05)]),
        ]);
        var timeline = Builder().Build(script, narration, candidates, Landscape);
        Assert.DoesNotContain(timeline.Clips, c => c.Kind == ClipKind.TitleCard);
        Assert.Equal(2, timeline.Version);
        Assert.True(timeline.Selection!.Optimal);
    }

    [Fact]
    public void A_long_sentence_is_split_into_sub_clips_on_different_assets()
    {
        var (script, narration) = Story(14);
        var asset = Guid.NewGuid();
        var candidates = new CandidatesDocument([new SentenceCandidates(0,
            [Video(asset, 0.4), Video(asset, 0.39), Video(Guid.NewGuid(), 0.3), Still(0.25)])]);

        var timeline = Builder().Build(script, narration, candidates, Landscape);

        Assert.Equal(3, timeline.Clips.Count);
        Assert.Equal([0, 1, 2], timeline.Clips.Select(c => c.Part));
        Assert.All(timeline.Clips, c => Assert.True(c.Duration <= 6.0 + 1e-9));
        for (var i = 1; i < timeline.Clips.Count; i++)
        {
            Assert.Equal(timeline.Clips[i - 1].End, timeline.Clips[i].Start, 9);
            Assert.NotEqual(timeline.Clips[i - 1].AssetId, timeline.Clips[i].AssetId);
        }
        Assert.Equal(timeline.Clips.Count(c => c.ShotId is not null), timeline.Clips.Where(c => c.ShotId is not null).Select(c => c.ShotId).Distinct().Count());
    }

    [Fact]
    public void A_short_sentence_takes_the_part_of_a_long_shot_around_its_best_keyframe()
    {
        var (script, narration) = Story(2);
        var shot = new ShotCandidate(Guid.NewGuid(), Guid.NewGuid(), AssetKind.Video, "harbour", 0.3, 10, 40, 31, "harbour");
        var timeline = Builder().Build(script, narration, new CandidatesDocument([new SentenceCandidates(0, [shot])]), Landscape);
        var clip = Assert.Single(timeline.Clips);
        Assert.InRange(31.0, clip.SourceStart, clip.SourceEnd);
        Assert.Equal(clip.Duration, clip.SourceEnd - clip.SourceStart, 3);
        Assert.Equal(1.0, clip.Scores!.DurationFit);
    }

    [Fact]
    public void Anchor_match_decides_between_equally_relevant_shots()
    {
        var (script, narration) = Story(3);
        var plain = Video(Guid.NewGuid(), 0.30, phrase: "a river");
        var anchored = Video(Guid.NewGuid(), 0.29, phrase: "the Rhine bridge");
        var extras = new TimelineExtras { Anchors = new Dictionary<int, IReadOnlyList<AnchorPoint>> { [0] = [new AnchorPoint("Rhine", AnchorKind.Keyword, 1)] } };
        var timeline = Builder().Build(script, narration, new CandidatesDocument([new SentenceCandidates(0, [plain, anchored])]), Landscape, extras);
        Assert.Equal(anchored.ShotId, timeline.Clips[0].ShotId);
        Assert.Equal(1.0, timeline.Clips[0].Scores!.Anchor);
    }

    [Fact]
    public void A_shot_whose_tags_name_the_sentence_wins_over_a_closer_likeness_and_the_clip_says_which_terms_matched()
    {
        var (script, narration) = Story(3);
        // Scores as ShotRelevance gives them: the tagged shot matched 橙色 and 三角形 (above 1) though CLIP saw little in it.
        var lookalike = Video(Guid.NewGuid(), ShotRelevance.Score(0.79, TermMatch.None, 1), phrase: "市中心");
        var tagged = Video(Guid.NewGuid(), ShotRelevance.Score(0.14, new TermMatch(["橙色", "三角形"], 0.8), 1)) with { MatchedTerms = ["橙色", "三角形"] };
        var timeline = Builder().Build(script, narration, new CandidatesDocument([new SentenceCandidates(0, [lookalike, tagged])]), Landscape);
        var clip = Assert.Single(timeline.Clips);
        Assert.Equal(tagged.ShotId, clip.ShotId);
        Assert.Equal(["橙色", "三角形"], clip.MatchedTerms);
    }

    [Fact]
    public void Cuts_move_onto_beats_within_150_ms_and_the_narration_stays_put()
    {
        var (script, narration) = Story(2.9, 3.3, 8.2, 2.1, 4.4);
        var candidates = new CandidatesDocument(Enumerable.Range(0, 5)
            .Select(i => new SentenceCandidates(i, [Video(Guid.NewGuid(), 0.3), Video(Guid.NewGuid(), 0.25)])).ToList());
        var beats = Enumerable.Range(0, 60).Select(k => 0.05 + k * 0.5).ToList();
        var plain = Builder().Build(script, narration, candidates, Landscape);
        var synced = Builder().Build(script, narration, candidates, Landscape,
            new TimelineExtras { Music = new MusicBed("music/bed.mp3", 120, beats) });

        Assert.Equal(plain.Clips.Count, synced.Clips.Count);
        var moved = 0;
        var spans = narration.Sentences.ToDictionary(n => n.Index);
        for (var i = 1; i < synced.Clips.Count; i++)
        {
            var before = plain.Clips[i].Start;
            var after = synced.Clips[i].Start;
            Assert.Equal(synced.Clips[i - 1].End, after, 9);
            Assert.Equal(Math.Round(after * 30), after * 30, 6);
            // Every cut lands on a beat (to the frame)...
            Assert.InRange(beats.Min(b => Math.Abs(b - after)), 0, 1 / 60.0 + 1e-9);
            // ...and a cut between sentences stays in the pause or at most 150 ms into the speech around it.
            if (synced.Clips[i].Part == 0)
                Assert.InRange(after, spans[synced.Clips[i - 1].SentenceIndex].EndSeconds - 0.150 - 1 / 60.0, spans[synced.Clips[i].SentenceIndex].StartSeconds + 0.150 + 1 / 60.0);
            moved += after != before ? 1 : 0;
        }
        Assert.True(moved > 0);
        Assert.Equal(plain.Sentences, synced.Sentences, (a, b) => a.Start == b.Start && a.End == b.End);
        Assert.Equal(narration.Sentences.Select(s => (s.StartSeconds, s.EndSeconds)), synced.Sentences.Select(s => (s.Start, s.End)));
        Assert.Equal(plain.Subtitles, synced.Subtitles);
        Assert.Equal(plain.DurationSeconds, synced.DurationSeconds);
        Assert.Equal(0, synced.Clips[0].Start);
        Assert.Equal(synced.DurationSeconds, synced.Clips[^1].End, 9);
    }

    [Fact]
    public void Subtitles_are_one_cue_per_phrase_of_at_most_two_lines()
    {
        var builder = Builder();
        var cues = builder.SubtitleCues("The council met on Tuesday, and after a long debate voted to close the old bridge over the river for repairs; traffic will be diverted.", 1, 9, Languages.English).ToList();
        Assert.Equal("The council met on Tuesday,", cues[0].Text);
        Assert.All(cues, c => Assert.True(c.Text.Split('\n').Length <= 2));
        Assert.All(cues, c => Assert.All(c.Text.Split('\n'), line => Assert.True(line.Length <= 42)));
        Assert.EndsWith("traffic will be diverted.", cues[^1].Text);
        Assert.Equal(1, cues[0].Start);
        Assert.Equal(9, cues[^1].End, 3);
        for (var i = 1; i < cues.Count; i++) Assert.Equal(cues[i - 1].End, cues[i].Start, 3);

        Assert.Equal(["U.S. officials said on Monday,", "that rates would rise."], TimelineBuilder.Phrases("U.S. officials said on Monday, that rates would rise.", false, 10));
        Assert.Equal(["Yes, the vote passed."], TimelineBuilder.Phrases("Yes, the vote passed.", false, 10));

        var chinese = builder.SubtitleCues("今天上午，市政府召开新闻发布会，宣布将在明年完成老城区改造工程的全部设计工作。", 0, 6, Languages.Chinese).ToList();
        Assert.Equal("今天上午，", chinese[0].Text);
        Assert.All(chinese.SelectMany(c => c.Text.Split('\n')), line => Assert.True(line.Length <= 17));
    }

    [Theory]
    [InlineData(0.05, 0.05, 0.2, 0.3, 1.5)]
    [InlineData(0.7, 0.6, 0.28, 0.38, 1.0)]
    [InlineData(0.0, 0.0, 1.0, 1.0, 4.0 / 3)]
    [InlineData(0.45, 0.1, 0.1, 0.1, 0.5625)]
    public void Ken_Burns_crops_stay_in_frame_and_keep_the_salient_box(double x, double y, double w, double h, double sourceAspect)
    {
        var details = new ShotDetails(1, new NormalizedRect(x, y, w, h), sourceAspect);
        foreach (var zoomIn in new[] { true, false })
        {
            var (motion, crops) = KenBurnsPlanner.Plan(details, 16 / 9.0, 1.15, zoomIn);
            foreach (var crop in new[] { crops.Start, crops.End })
            {
                Assert.True(NormalizedRect.Full.Contains(crop), $"{crop} leaves the frame");
                Assert.True(crop.Contains(crops.Salient), $"{crop} loses {crops.Salient}");
            }
            Assert.Equal(1 / motion.StartZoom, crops.Start.Width, 9);
            Assert.Equal(motion.StartCenterX, crops.Start.X + crops.Start.Width / 2, 9);
            Assert.Equal(motion.EndCenterY, crops.End.Y + crops.End.Height / 2, 9);
        }
    }

    [Fact]
    public void Stills_get_crops_around_their_salient_box_and_the_layers_are_laid()
    {
        var (script, narration) = Story(3, 3, 3);
        var still = Still(0.3);
        var extras = new TimelineExtras
        {
            ArticleTitle = "Bridge to close for repairs",
            Shots = new Dictionary<Guid, ShotDetails> { [still.ShotId] = new(0.9, new NormalizedRect(0.6, 0.1, 0.2, 0.3)) },
            Anchors = new Dictionary<int, IReadOnlyList<AnchorPoint>>
            {
                [0] = [new AnchorPoint("Anna Meier", AnchorKind.Person, 1)],
                [1] = [new AnchorPoint("City Council", AnchorKind.Organisation, 1), new AnchorPoint("Anna Meier", AnchorKind.Person, 1)],
                [2] = [new AnchorPoint("Anna Meier", AnchorKind.Person, 1), new AnchorPoint("bridge", AnchorKind.Keyword, 1)],
            },
        };
        var candidates = new CandidatesDocument([new SentenceCandidates(0, [still])]);

        var timeline = Builder().Build(script, narration, candidates, Landscape, extras);

        var clip = timeline.Clips[0];
        Assert.Equal(ClipKind.Still, clip.Kind);
        Assert.True(clip.Crops!.Start.Contains(new NormalizedRect(0.6, 0.1, 0.2, 0.3)));
        Assert.True(clip.Crops.End.Contains(new NormalizedRect(0.6, 0.1, 0.2, 0.3)));
        Assert.Equal(0.9, clip.Scores!.Quality);
        var title = Assert.Single(timeline.Overlays, o => o.Kind == OverlayKind.OpeningTitle);
        Assert.Equal((0.0, 2.0, "Bridge to close for repairs"), (title.Start, title.End, title.Text));
        var lowerThirds = timeline.Overlays.Where(o => o.Kind == OverlayKind.LowerThird).ToList();
        Assert.Equal(["Anna Meier", "City Council"], lowerThirds.Select(o => o.Text));
        Assert.All(lowerThirds, o => Assert.True(o.Start >= title.End));
    }

    [Fact]
    public void The_document_round_trips_and_a_version_1_document_still_reads()
    {
        var (script, narration) = Story(3, 7);
        var candidates = new CandidatesDocument([new SentenceCandidates(0, [Still(0.3)]), new SentenceCandidates(1, [Video(Guid.NewGuid(), 0.3)])]);
        var timeline = Builder().Build(script, narration, candidates, Landscape, new TimelineExtras { ArticleTitle = "Headline" });
        var web = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        var json = JsonSerializer.Serialize(timeline, web);
        var back = JsonSerializer.Deserialize<TimelineDocument>(json, web)!;
        Assert.Equal(json, JsonSerializer.Serialize(back, web));
        Assert.Contains("\"scores\":{\"relevance\"", json);

        const string v1 = """{"version":1,"aspectRatio":"16:9","resolution":"720p","width":1280,"height":720,"frameRate":30,"durationSeconds":3,"language":"en","narrationKey":"n.wav","clips":[{"sentenceIndex":0,"text":"Hi.","start":0,"end":3,"kind":"TitleCard","sourceStart":0,"score":0,"cardText":"Hi."}],"subtitles":[{"start":0,"end":3,"text":"Hi."}]}""";
        var old = JsonSerializer.Deserialize<TimelineDocument>(v1, web)!;
        Assert.Equal(1, old.Version);
        Assert.Empty(old.Overlays);
        Assert.Empty(old.Sentences);
        Assert.Equal(ClipKind.TitleCard, old.Clips[0].Kind);
    }
}
