using VidPress.Core.Script;

namespace VidPress.UnitTests.Script;

public sealed class SentenceSplitterTests
{
    private static void AssertSplit(string text, params string[] expected) => Assert.Equal(expected, SentenceSplitter.Split(text));

    [Fact]
    public void Plain_english_sentences_split_at_stops() =>
        AssertSplit("Shares fell. Investors sold! Why now? Nobody knows.", "Shares fell.", "Investors sold!", "Why now?", "Nobody knows.");

    [Fact]
    public void Titles_and_initials_never_end_a_sentence() =>
        AssertSplit("Mr. Smith met Dr. Jones and Prof. J. K. Lee on Jan. 5 in St. Louis. They talked.",
            "Mr. Smith met Dr. Jones and Prof. J. K. Lee on Jan. 5 in St. Louis.", "They talked.");

    [Fact]
    public void A_dotted_acronym_inside_a_sentence_does_not_end_it() =>
        AssertSplit("The U.S. Treasury and U.K. officials met at 9 a.m. Reuters reported.",
            "The U.S. Treasury and U.K. officials met at 9 a.m. Reuters reported.");

    [Fact]
    public void A_dotted_acronym_ends_a_sentence_before_a_usual_opener() =>
        AssertSplit("Prices rose in the U.S. The Fed is worried.", "Prices rose in the U.S.", "The Fed is worried.");

    [Fact]
    public void Company_abbreviations_end_a_sentence_only_before_an_opener() =>
        AssertSplit("He joined Acme Inc. as chief. She left Acme Corp. The board agreed.",
            "He joined Acme Inc. as chief.", "She left Acme Corp.", "The board agreed.");

    [Fact]
    public void Decimals_money_and_versions_stay_whole() =>
        AssertSplit("Growth was 3.5 percent, or $1.2 billion. Version 2.0.1 ships today.",
            "Growth was 3.5 percent, or $1.2 billion.", "Version 2.0.1 ships today.");

    [Fact]
    public void Ellipses_end_a_sentence_only_before_a_capital() =>
        AssertSplit("He waited... and waited. Then… silence. It was over… Everyone left.",
            "He waited... and waited.", "Then… silence.", "It was over…", "Everyone left.");

    [Fact]
    public void Quotes_stay_with_their_sentence_and_attribution_stays_with_the_quote() =>
        AssertSplit("\"We will win,\" she said. \"Stop!\" he shouted. \"Really?\" The crowd laughed.",
            "\"We will win,\" she said.", "\"Stop!\" he shouted.", "\"Really?\"", "The crowd laughed.");

    [Fact]
    public void Curly_quotes_close_the_sentence_they_end() =>
        AssertSplit("She said: “It is done.” Then she left.", "She said: “It is done.”", "Then she left.");

    [Fact]
    public void Chinese_splits_at_full_width_stops_without_spaces() =>
        AssertSplit("深圳将新增公交车。市民表示欢迎！这会缓解拥堵吗？专家认为会。",
            "深圳将新增公交车。", "市民表示欢迎！", "这会缓解拥堵吗？", "专家认为会。");

    [Fact]
    public void Chinese_closing_quotes_and_brackets_stay_with_the_sentence() =>
        AssertSplit("他说：“我们一定会赢。”随后离开了会场。（完）", "他说：“我们一定会赢。”", "随后离开了会场。", "（完）");

    [Fact]
    public void Chinese_ellipsis_and_semicolon_end_a_clause() =>
        AssertSplit("大家都在等待……没有人说话；会议推迟了。", "大家都在等待……", "没有人说话；", "会议推迟了。");

    [Fact]
    public void Chinese_decimals_and_latin_terms_stay_whole() =>
        AssertSplit("增长了3.5%，达到1.2万亿元。GDP同比上升。", "增长了3.5%，达到1.2万亿元。", "GDP同比上升。");

    [Fact]
    public void Ascii_stops_in_chinese_text_split_before_chinese() =>
        AssertSplit("真的吗?他问道!大家笑了。", "真的吗?", "他问道!", "大家笑了。");

    [Fact]
    public void Blank_lines_end_headlines_and_paragraphs_without_stops() =>
        AssertSplit("Council backs buses\n\nThe vote was close.\nIt passed 5 to 4.", "Council backs buses", "The vote was close.", "It passed 5 to 4.");

    [Fact]
    public void Mixed_language_text_splits_both_ways() =>
        AssertSplit("The CEO spoke. 他表示满意。The shares rose.", "The CEO spoke.", "他表示满意。", "The shares rose.");

    [Fact]
    public void Punctuation_only_and_empty_text_give_no_sentences()
    {
        Assert.Empty(SentenceSplitter.Split(""));
        Assert.Empty(SentenceSplitter.Split(" ... 。 ！ "));
    }
}
