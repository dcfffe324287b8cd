using VidPress.Core.Library;

namespace VidPress.UnitTests.Library;

public sealed class TextTermsTests
{
    [Fact]
    public void English_words_are_lower_cased_without_stop_words() =>
        Assert.Equal(["flood", "waters", "rise", "wuhan", "2024"], TextTerms.Tokenize("The flood waters rise in Wuhan, 2024!"));

    [Fact]
    public void Chinese_runs_become_overlapping_bigrams() =>
        Assert.Equal(["北京", "京天", "天安", "安门", "门广", "广场", "night"], TextTerms.Tokenize("北京天安门广场 night"));

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
