using Microsoft.Extensions.Options;
using VidPress.Core;
using VidPress.Core.Script;

namespace VidPress.UnitTests.Script;

public sealed class ScriptWriterTests
{
    private static ScriptWriter Writer(int rate = 165) =>
        new(Options.Create(new ScriptOptions()), Options.Create(new NarrationPaceOptions { Rate = rate }));

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
    [InlineData(5)]
    [InlineData(12)]
    [InlineData(18)]
    [InlineData(25)]
    public void The_estimated_narration_never_exceeds_the_target(double target)
    {
        var writer = Writer();
        var script = writer.Write(Article, Languages.English, target);
        var estimate = Estimate(writer, script, Languages.English);
        Assert.True(estimate <= target, $"{estimate:F1} s for a {target} s target");
    }

    [Fact]
    public void A_faster_speaking_rate_fits_more_words_and_a_slower_fewer_each_within_the_target_at_its_own_pace()
    {
        var writer = Writer();
        int Words(ScriptDocument script) => script.Sentences.Sum(s => s.Text.Split(' ').Length);
        var usual = writer.Write(Article, Languages.English, 18);
        var fast = writer.Write(Article, Languages.English, 18, speakingRate: 2);
        var slow = writer.Write(Article, Languages.English, 18, speakingRate: 0.5);
        Assert.True(Words(fast) > Words(usual), $"{Words(fast)} words at ×2, {Words(usual)} at ×1");
        Assert.True(Words(slow) < Words(usual), $"{Words(slow)} words at ×0.5, {Words(usual)} at ×1");
        var pace = new NarrationPaceOptions();
        foreach (var (script, rate) in new[] { (fast, 2.0), (slow, 0.5) })
        {
            var estimate = pace.LeadInSeconds + pace.TailSeconds + (script.Sentences.Count - 1) * pace.PauseSeconds
                + script.Sentences.Sum(s => writer.EstimateSeconds(s.Text, Languages.English, rate));
            Assert.True(estimate <= 18, $"×{rate}: {estimate:F1} s for an 18 s target");
        }
    }

    private static double Estimate(ScriptWriter writer, ScriptDocument script, string language)
    {
        var narration = new NarrationPaceOptions();
        return narration.LeadInSeconds + narration.TailSeconds + (script.Sentences.Count - 1) * narration.PauseSeconds
            + script.Sentences.Sum(s => writer.EstimateSeconds(s.Text, language));
    }

    [Fact]
    public void A_target_shorter_than_the_lead_keeps_the_start_of_the_lead()
    {
        var lead = Writer().Write(Article, Languages.English, 5).Sentences.Single().Text;
        Assert.StartsWith("The city council approved", lead);
        Assert.True(lead.Length < Article.IndexOf('\n'), lead);
    }

    /// <summary>The 5 s target a single sentence of thousands of words once made 767 s of narration of.</summary>
    [Fact]
    public void A_sentence_longer_than_the_target_is_cut_at_its_last_clause_that_fits()
    {
        var sentence = "The council met on Monday, approved the plan for new buses, and then " + string.Join(" ", Enumerable.Repeat("talked about the budget for hours", 500)) + ".";
        var writer = Writer();
        var script = writer.Write(sentence, Languages.English, 5);

        var text = Assert.Single(script.Sentences).Text;
        Assert.Equal("The council met on Monday, approved the plan for new buses.", text);
        Assert.True(Estimate(writer, script, Languages.English) <= 5);
    }

    [Fact]
    public void A_sentence_without_a_clause_that_fits_is_cut_after_its_last_word_that_fits()
    {
        var words = Enumerable.Range(0, 3000).Select(i => $"word{i}").ToList();
        var writer = Writer();
        var script = writer.Write(string.Join(" ", words), Languages.English, 5);

        var text = Assert.Single(script.Sentences).Text;
        Assert.EndsWith(".", text);
        var kept = text.TrimEnd('.').Split(' ');
        Assert.Equal(words.Take(kept.Length), kept);
        Assert.True(kept.Length >= 10, text);
        Assert.True(Estimate(writer, script, Languages.English) <= 5);
    }

    [Fact]
    public void A_long_chinese_sentence_is_cut_at_a_comma_that_fits()
    {
        var sentence = "深圳市政府周一宣布，" + string.Concat(Enumerable.Repeat("全市公交车将在明年全部换成电动车", 100)) + "。";
        var writer = Writer();
        var script = writer.Write(sentence, Languages.Chinese, 6);

        Assert.Equal("深圳市政府周一宣布。", Assert.Single(script.Sentences).Text);
        Assert.True(Estimate(writer, script, Languages.Chinese) <= 6);
    }

    [Fact]
    public void A_callers_script_keeps_the_sentences_that_fit_and_cuts_the_one_that_does_not()
    {
        var asset = Guid.NewGuid();
        var writer = Writer();
        var script = writer.FromCaller(
        [
            new CallerSentence("The depot opened today."),
            new CallerSentence("The mayor said, to loud applause from the drivers, " + string.Join(" ", Enumerable.Repeat("that the buses are quiet", 200)), ["bus"], asset),
            new CallerSentence("This sentence is past the target."),
        ], Languages.English, 8);

        Assert.Equal(2, script.Sentences.Count);
        Assert.Equal("The depot opened today.", script.Sentences[0].Text);
        Assert.Equal("The mayor said, to loud applause from the drivers.", script.Sentences[1].Text);
        Assert.Equal(asset, script.Sentences[1].PinnedAssetId);
        Assert.Contains("bus", script.Sentences[1].Keywords);
        Assert.True(Estimate(writer, script, Languages.English) <= 8);
    }

    [Fact]
    public void A_callers_script_without_a_target_is_held_to_the_longest_one()
    {
        var writer = Writer();
        var sentences = Enumerable.Range(0, 200).Select(i => new CallerSentence(string.Join(" ", Enumerable.Repeat($"sentence {i} has many words", 30)) + ".")).ToList();
        var script = writer.FromCaller(sentences, Languages.English);

        Assert.InRange(Estimate(writer, script, Languages.English), ScriptWriter.MaxTargetSeconds - 60, ScriptWriter.MaxTargetSeconds);
    }

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
