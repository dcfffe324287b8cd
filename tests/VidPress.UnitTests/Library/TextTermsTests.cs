using VidPress.Core.Library;

namespace VidPress.UnitTests.Library;

public sealed class TextTermsTests
{
    [Fact]
    public void English_words_are_lower_cased_without_stop_words() =>
        Assert.Equal(["flood", "waters", "rise", "wuhan", "2024"], TextTerms.Tokenize("The flood waters rise in Wuhan, 2024!"));

    [Fact]
    public void Chinese_runs_are_cut_into_jiebas_words_with_the_words_inside_long_ones() =>
        // jieba's dictionary holds 北京天安门广场 as one word; search mode puts the dictionary words inside it before it.
        Assert.Equal(["北京", "天安", "广场", "天安门", "北京天安门广场", "night"], TextTerms.Tokenize("北京天安门广场 night"));

    [Fact]
    public void Chinese_grammatical_words_are_dropped_and_a_title_gives_its_colour_and_shape() =>
        // 的 is one of jieba's stop words; 三角 and 角形 are the dictionary's words inside 三角形.
        Assert.Equal(["橙色", "三角", "角形", "三角形"], TextTerms.Tokenize("橙色的三角形"));

    [Fact]
    public void A_tag_and_the_same_word_in_a_sentence_give_the_same_terms() =>
        Assert.Subset(TextTerms.Tokenize("橙色的三角形出现在市中心。").ToHashSet(), TextTerms.Tokenize("三角形").ToHashSet());

    [Fact]
    public void Kana_and_hangul_runs_still_become_bigrams() =>
        Assert.Equal(["ニュ", "ュー", "ース", "서울"], TextTerms.Tokenize("ニュース 서울"));

    [Fact]
    public void A_single_chinese_character_stays_a_term() => Assert.Equal(["雨", "rain"], TextTerms.Tokenize("雨 rain"));

    [Fact]
    public void Asset_terms_join_title_description_and_tags_once_each() =>
        Assert.Equal("red circle sky", TextTerms.ForAsset("Red circle", "A red circle in the sky", ["circle"]));

    [Theory]
    [InlineData(0xFFFE)]
    [InlineData(0xD800)]
    [InlineData(0xDFFF)]
    public void Text_with_code_points_that_normalisation_refuses_still_gives_its_words(int codePoint) =>
        // string.Normalize throws for lone surrogates and U+FFFE; a title or query holding one was a 500 (found by the request fuzzer).
        // Made from its number: xUnit would replace a lone surrogate written into the attribute.
        Assert.Equal(["harbour", "boats"], TextTerms.Tokenize($"harbour {(char)codePoint} boats").Where(t => t.All(char.IsAsciiLetter)));

    [Fact]
    public void Query_quotes_every_term_and_ors_them()
    {
        Assert.Equal("'red' | 'circle'", TextTerms.OrQuery(TextTerms.Tokenize("red & circle | !")));
        Assert.Null(TextTerms.OrQuery(TextTerms.Tokenize("the a of")));
    }
}
