using VidPress.Core.Library;
using VidPress.Core.Script;

namespace VidPress.UnitTests.Script;

public sealed class ScriptTaggerTests
{
    private static ScriptDocument Tag(string language, params string[] sentences) =>
        ScriptTagger.Tag(new ScriptDocument(language, sentences.Select((s, i) => new ScriptSentence(i, s)).ToList()));

    private static void AssertEntity(string sentence, string text, AnchorKind kind) =>
        Assert.Contains(new NamedEntity(text, kind), Entities.Find(sentence, Languages.English));

    [Theory]
    [InlineData("Talks were led by Mr. David Okoro in the capital.", "David Okoro", AnchorKind.Person)]
    [InlineData("The award went to Dr. Mei Lin of the hospital.", "Mei Lin", AnchorKind.Person)]
    [InlineData("Prime Minister Anna Berg said the vote was fair.", "Anna Berg", AnchorKind.Person)]
    [InlineData("The plan was drawn up by Chancellor Olaf Brandt and his team.", "Olaf Brandt", AnchorKind.Person)]
    [InlineData("Yesterday, shares of Globex Corp. fell sharply.", "Globex Corp.", AnchorKind.Organisation)]
    [InlineData("A report by the Ministry of Health found gaps.", "Ministry of Health", AnchorKind.Organisation)]
    [InlineData("Students at the University of Oxford protested.", "University of Oxford", AnchorKind.Organisation)]
    [InlineData("The decision by Leeds City Council surprised many.", "Leeds City Council", AnchorKind.Organisation)]
    [InlineData("Economists at the Bank of England expect a cut.", "Bank of England", AnchorKind.Organisation)]
    [InlineData("Officials from NATO arrived.", "NATO", AnchorKind.Organisation)]
    [InlineData("Flights to Hong Kong were cancelled.", "Hong Kong", AnchorKind.Place)]
    [InlineData("Exports from Germany and Japan rose.", "Japan", AnchorKind.Place)]
    [InlineData("Exports from Germany and Japan rose.", "Germany", AnchorKind.Place)]
    [InlineData("Crowds gathered in Trafalgar Square at noon.", "Trafalgar Square", AnchorKind.Place)]
    public void English_names_are_found_by_their_shape(string sentence, string text, AnchorKind kind)
    {
        var expected = text.EndsWith('.') ? text[..^1] : text;
        AssertEntity(sentence, expected, kind);
    }

    [Theory]
    [InlineData("The vote was close.")]
    [InlineData("Tuesday was calm in the markets.")]
    [InlineData("Officials said the plan would work.")]
    [InlineData("Police arrived in March.")]
    public void Capitalised_openers_weekdays_and_months_are_not_names(string sentence) =>
        Assert.Empty(Entities.Find(sentence, Languages.English));

    [Fact]
    public void A_surname_alone_is_the_person_named_in_full_earlier()
    {
        var script = Tag(Languages.English, "Mayor Jane Whitfield backed the plan.", "Whitfield said buses come first.", "Critics attacked Ms. Whitfield.");
        Assert.All(script.Sentences, s => Assert.Contains(s.Anchors, a => a is { Text: "Jane Whitfield", Kind: AnchorKind.Person }));
    }

    [Fact]
    public void A_lone_capitalised_word_opening_a_sentence_is_not_a_name_unless_known()
    {
        var script = Tag(Languages.English, "Buses will be electric.", "Engineers at Volta Motors built them.");
        Assert.DoesNotContain(script.Sentences[0].Anchors, a => a.Kind != AnchorKind.Keyword);
        Assert.Contains(script.Sentences[1].Anchors, a => a is { Text: "Volta Motors", Kind: AnchorKind.Organisation });
    }

    [Fact]
    public void Chinese_people_places_and_organisations_come_from_jieba_tags()
    {
        var script = Tag(Languages.Chinese, "清华大学教授王芳在北京表示，电动公交车将改善空气质量。", "华为公司与中国科学院签署了合作协议。");

        Assert.Contains(script.Sentences[0].Anchors, a => a is { Text: "王芳", Kind: AnchorKind.Person });
        Assert.Contains(script.Sentences[0].Anchors, a => a is { Text: "北京", Kind: AnchorKind.Place });
        Assert.Contains(script.Sentences[0].Anchors, a => a is { Text: "清华大学", Kind: AnchorKind.Organisation });
        Assert.Contains(script.Sentences[1].Anchors, a => a is { Text: "华为公司", Kind: AnchorKind.Organisation });
        Assert.Contains(script.Sentences[1].Anchors, a => a is { Text: "中国科学院", Kind: AnchorKind.Organisation });
        Assert.Contains(script.Sentences[0].Keywords, k => k is "公交车" or "电动" or "空气质量");
    }

    [Fact]
    public void Anchors_are_weighted_names_first_and_capped()
    {
        var script = Tag(Languages.English,
            "Mayor Jane Whitfield and Dr. Priya Raman of the University of Leeds toured the electric bus depot in Manchester with engineers, drivers and reporters.");
        var anchors = script.Sentences[0].Anchors;

        Assert.InRange(anchors.Count, 4, ScriptTagger.MaxAnchorsPerSentence);
        Assert.Equal(anchors.OrderByDescending(a => a.Weight), anchors);
        Assert.All(anchors, a => Assert.InRange(a.Weight, 0.0001, 1));
        Assert.Equal(AnchorKind.Person, anchors[0].Kind);
        Assert.True(anchors.First(a => a.Kind == AnchorKind.Keyword).Weight < anchors.First(a => a.Kind == AnchorKind.Place).Weight);
    }

    [Fact]
    public void The_article_gets_tags_and_a_topic()
    {
        var script = Tag(Languages.English,
            "Shares in Globex Corp. rose after its profit beat forecasts.",
            "Investors cheered as the market rallied and shares of rivals rose too.",
            "Globex said revenue grew and its stock price hit a record.");

        Assert.Equal("economy", script.Topic);
        Assert.Equal(1.0, script.Tags[0].Weight);
        Assert.Contains(script.Tags, t => t is { Text: "Globex Corp", Kind: AnchorKind.Organisation });
        Assert.Contains(script.Tags, t => t.Kind == AnchorKind.Keyword && t.Text == "shares");
    }

    [Fact]
    public void Query_phrases_put_anchors_first_then_keywords_then_the_sentence()
    {
        var sentence = new ScriptSentence(0, "清华大学教授王芳认为电动公交车将改善空气质量。")
        {
            Anchors = [new AnchorPoint("清华大学", AnchorKind.Organisation, 0.9), new AnchorPoint("王芳", AnchorKind.Person, 1.0)],
            Keywords = ["公交车"],
        };

        var phrases = QueryPhrases.For(sentence, Languages.Chinese);

        Assert.Equal(["王芳", "清华大学", "公交车", sentence.Text], phrases);
    }

    [Fact]
    public void Query_phrases_of_an_untagged_sentence_are_as_before() =>
        Assert.Equal(QueryPhrases.For("A red circle on a table.", Languages.English), QueryPhrases.For(new ScriptSentence(0, "A red circle on a table."), Languages.English));
}
