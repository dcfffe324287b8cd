using Microsoft.Extensions.Options;
using VidPress.Core;
using VidPress.Core.Narration;
using VidPress.Core.Script;

namespace VidPress.UnitTests.Script;

public sealed class ScriptWriterTests
{
    private static ScriptWriter Writer(int rate = 165) =>
        new(Options.Create(new ScriptOptions()), Options.Create(new NarrationOptions { Rate = rate }));

    private const string Article = """
        The city council approved a plan to buy electric buses for the public transport network on Tuesday.

        The weather on Tuesday was mild and sunny across most of the region.

        The electric buses will run on the busiest routes of the transport network from next spring.

        A local bakery celebrated its fiftieth anniversary with free cakes for children.

        Council officials said the electric buses would cut pollution and make the transport network quieter.

        The football club confirmed that its new stadium would open in August.

        Drivers for the public transport network will be trained to operate the electric buses this winter.
        """;

    [Fact]
    public void The_lead_is_always_kept_and_sentences_stay_in_article_order()
    {
        var script = Writer().Write(Article, Languages.English, 18);

        Assert.StartsWith("The city council approved", script.Sentences[0].Text);
        var positions = script.Sentences.Select(s => Article.IndexOf(s.Text, StringComparison.Ordinal)).ToList();
        Assert.All(positions, p => Assert.True(p >= 0));
        Assert.Equal(positions.Order(), positions);
        Assert.Equal(Enumerable.Range(0, script.Sentences.Count), script.Sentences.Select(s => s.Index));
    }

    [Fact]
    public void Sentences_about_the_story_outrank_asides()
    {
        var script = Writer().Write(Article, Languages.English, 18);

        Assert.True(script.Sentences.Count >= 2);
        Assert.All(script.Sentences, s => Assert.DoesNotContain("bakery", s.Text));
        Assert.All(script.Sentences, s => Assert.DoesNotContain("weather", s.Text));
        Assert.All(script.Sentences, s => Assert.DoesNotContain("football", s.Text));
    }

    [Theory]
    [InlineData(12)]
    [InlineData(18)]
    [InlineData(25)]
    public void The_estimated_narration_never_exceeds_the_target(double target)
    {
        var writer = Writer();
        var narration = new NarrationOptions();
        var script = writer.Write(Article, Languages.English, target);

        var estimate = narration.LeadInSeconds + narration.TailSeconds + (script.Sentences.Count - 1) * narration.PauseSeconds
            + script.Sentences.Sum(s => writer.EstimateSeconds(s.Text, Languages.English));
        Assert.True(estimate <= target || script.Sentences.Count == 1, $"{estimate:F1} s for a {target} s target");
    }

    [Fact]
    public void A_target_shorter_than_the_lead_still_keeps_the_lead() =>
        Assert.Single(Writer().Write(Article, Languages.English, 2).Sentences);

    [Fact]
    public void A_faster_voice_fits_more_sentences() =>
        Assert.True(Writer(rate: 250).Write(Article, Languages.English, 18).Sentences.Count > Writer(rate: 120).Write(Article, Languages.English, 18).Sentences.Count);

    [Fact]
    public void Chinese_is_timed_by_characters_and_english_by_words()
    {
        var writer = Writer();
        var options = new ScriptOptions();
        Assert.Equal(10 / options.ChineseCharactersPerSecond, writer.EstimateSeconds("深圳新增电动公交车了。", Languages.Chinese), 3);
        Assert.Equal(6 / options.EnglishWordsPerSecond, writer.EstimateSeconds("The council approved the bus plan.", Languages.English), 3);
    }

    [Fact]
    public void An_article_without_sentences_is_a_clear_input_error() =>
        Assert.Contains("no sentences", Assert.Throws<VideoInputException>(() => Writer().Write(" ... ", Languages.English, 30)).Message);

    [Fact]
    public void A_callers_script_is_kept_as_written_with_keywords_and_pinned_assets()
    {
        var asset = Guid.NewGuid();
        var script = Writer().FromCaller(
        [
            new CallerSentence("  Mayor Jane Whitfield opened the new depot. "),
            new CallerSentence("The first buses leave at dawn.", ["depot", "dawn"], asset),
        ], Languages.English);

        Assert.Equal(["Mayor Jane Whitfield opened the new depot.", "The first buses leave at dawn."], script.Sentences.Select(s => s.Text));
        Assert.Equal(asset, script.Sentences[1].PinnedAssetId);
        Assert.Null(script.Sentences[0].PinnedAssetId);
        Assert.Equal(["depot", "dawn"], script.Sentences[1].Keywords.Take(2));
        Assert.Contains(script.Sentences[1].Anchors, a => a is { Text: "depot", Kind: AnchorKind.Keyword, Weight: 1.0 });
        Assert.Contains(script.Sentences[0].Anchors, a => a is { Text: "Jane Whitfield", Kind: AnchorKind.Person });
    }

    [Fact]
    public void An_empty_caller_sentence_is_refused() =>
        Assert.Throws<VideoInputException>(() => Writer().FromCaller([new CallerSentence("Fine."), new CallerSentence(" ")], Languages.English));

    [Fact]
    public void TextRank_ranks_the_sentence_that_shares_most_words_highest()
    {
        var ranks = TextRank.Rank(
        [
            ["bus", "council", "plan"],
            ["bakery", "cake", "child"],
            ["bus", "council", "network", "plan"],
            ["bus", "network", "driver"],
        ]);
        Assert.Equal(2, Array.IndexOf(ranks, ranks.Max()));
        Assert.True(ranks[1] < ranks[3]);
    }
}
