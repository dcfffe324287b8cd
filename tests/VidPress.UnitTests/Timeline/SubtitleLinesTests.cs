using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Timeline;

public sealed class SubtitleLinesTests
{
    [Fact]
    public void English_breaks_only_at_spaces_within_the_line_length_and_evenly()
    {
        const string text = "The council voted on Tuesday to close the old harbour bridge for eighteen months of repairs";
        var lines = SubtitleLines.Break(text, latinCharacters: 42);
        Assert.All(lines, l => Assert.True(l.Length <= 42, l));
        // Every word whole, in order, one space between: joining the lines gives the text back.
        Assert.Equal(text, string.Join(' ', lines));
        Assert.All(lines, l => Assert.Equal(l.Trim(), l));
        // Balanced: as few lines as 42 allows (3), and the longest as short as three lines allow.
        Assert.Equal(3, lines.Count);
        Assert.True(lines.Max(l => l.Length) - lines.Min(l => l.Length) <= 12, string.Join(" | ", lines));
    }

    [Fact]
    public void Two_english_lines_are_balanced_rather_than_filled()
    {
        var lines = SubtitleLines.Break("Residents asked questions for an hour, and the mayor promised an answer", latinCharacters: 42);
        Assert.Equal(["Residents asked questions for an hour,", "and the mayor promised an answer"], lines);
        Assert.Equal(["A short line."], SubtitleLines.Break("A short line."));
        Assert.Empty(SubtitleLines.Break("   "));
    }

    [Fact]
    public void A_word_longer_than_a_line_is_cut_only_because_nothing_else_fits()
    {
        var url = "https://example.org/" + new string('a', 60);
        var lines = SubtitleLines.Break("See " + url, latinCharacters: 42);
        Assert.All(lines, l => Assert.True(l.Length <= 42, l));
        Assert.Equal("See", lines[0]);
        Assert.Equal(url, string.Concat(lines.Skip(1)));
    }

    [Fact]
    public void Chinese_breaks_between_characters_within_sixteen_of_them()
    {
        const string text = "市政府今天宣布将在明年完成老城区改造工程的全部设计工作并公开征求意见";
        var lines = SubtitleLines.Break(text, cjkCharacters: 16);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, l => Assert.True(l.Length <= 16, l));
        Assert.Equal(3, lines.Count);
        Assert.Equal(32, SubtitleLines.Columns("市政府今天宣布将在明年完成老城区"));
    }

    [Theory]
    [InlineData('，')]
    [InlineData('。')]
    [InlineData('！')]
    [InlineData('？')]
    [InlineData('、')]
    [InlineData('」')]
    [InlineData('》')]
    [InlineData('）')]
    [InlineData('”')]
    public void Closing_punctuation_never_starts_a_line(char closing)
    {
        // Eight characters a line: the mark falls exactly where a plain count would break.
        var text = "一二三四五六七八" + closing + "九十一二三四五六";
        var lines = SubtitleLines.Break(text, cjkCharacters: 8);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, l => Assert.NotEqual(closing, l[0]));
        Assert.All(lines, l => Assert.True(SubtitleLines.Columns(l) <= 16, l));
    }

    [Theory]
    [InlineData('「')]
    [InlineData('《')]
    [InlineData('（')]
    [InlineData('“')]
    public void Opening_punctuation_never_ends_a_line(char opening)
    {
        var text = "一二三四五六七" + opening + "八九十一二三四五";
        var lines = SubtitleLines.Break(text, cjkCharacters: 8);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, l => Assert.NotEqual(opening, l[^1]));
    }

    [Fact]
    public void A_latin_word_inside_chinese_stays_whole_and_counts_half()
    {
        const string text = "记者今天在发布会上看到了新款iPhone手机和多台MacBook电脑";
        var lines = SubtitleLines.Break(text, cjkCharacters: 10);
        Assert.Equal(text, string.Concat(lines));
        Assert.Contains(lines, l => l.Contains("iPhone", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("MacBook", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.True(SubtitleLines.Columns(l) <= 20, l));
        Assert.Equal(8, SubtitleLines.Columns("iPhone手"));
    }

    [Fact]
    public void A_line_break_between_chinese_characters_is_no_space_but_one_between_words_is()
    {
        Assert.Equal(["今天上午市政府"], SubtitleLines.Break("今天上午\n市政府"));
        Assert.Equal(["The council met"], SubtitleLines.Break("The council\nmet"));
        Assert.Equal(["使用 AI 技术"], SubtitleLines.Break("使用 AI 技术"));
    }

    [Fact]
    public void A_surrogate_pair_is_one_wide_character()
    {
        // U+20BB7 𠮷, an ideograph outside the basic plane, is never split from its other half.
        var text = string.Concat(Enumerable.Repeat("𠮷", 10));
        var lines = SubtitleLines.Break(text, cjkCharacters: 4);
        Assert.Equal(text, string.Concat(lines));
        Assert.All(lines, l => Assert.False(char.IsHighSurrogate(l[^1]), "split pair"));
        Assert.All(lines, l => Assert.True(SubtitleLines.Columns(l) <= 8, l));
    }
}
