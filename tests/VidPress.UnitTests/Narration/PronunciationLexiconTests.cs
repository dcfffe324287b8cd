using VidPress.Core.Narration;

namespace VidPress.UnitTests.Narration;

/// <summary>The lexicon rewrites what the engine reads: Latin names as whole words, Chinese names as exact substrings.</summary>
public sealed class PronunciationLexiconTests
{
    private static readonly PronunciationLexicon Lexicon = new(
    [
        new("Nguyen", "Win"),
        new("NATO", "nay toe"),
        new("Saoirse", "Sir sha"),
        new("St. Pauli", "Sankt Pauli"),
        new("重庆", "崇庆"),
        new("OpenAI", "Open A I"),
        new("Win", "WIN-LOOP"),
    ]);

    [Theory]
    [InlineData("Mayor Nguyen spoke.", "Mayor Win spoke.")]
    [InlineData("mayor nguyen spoke.", "mayor Win spoke.")]           // case-insensitive
    [InlineData("Nguyens arrived.", "Nguyens arrived.")]              // whole words only: no match inside a longer word
    [InlineData("ANATOMY and NATO.", "ANATOMY and nay toe.")]
    [InlineData("NATO-led talks", "nay toe-led talks")]               // a hyphen is a word boundary
    [InlineData("(Saoirse)", "(Sir sha)")]
    [InlineData("At St. Pauli today", "At Sankt Pauli today")]        // an entry with a dot and a space
    [InlineData("Nguyen and Win", "Win and WIN-LOOP")]                // spoken text is not matched again
    [InlineData("重庆市今天下雨。", "崇庆市今天下雨。")]                 // Chinese: an exact substring, no spaces needed
    [InlineData("OpenAI发布了新模型。", "Open A I发布了新模型。")]      // a Latin name next to Chinese characters is a whole word
    [InlineData("No names here.", "No names here.")]
    public void Replaces_whole_latin_words_and_exact_chinese_substrings(string written, string spoken) =>
        Assert.Equal(spoken, Lexicon.Apply(written));

    [Fact]
    public void The_longer_entry_wins_where_two_overlap()
    {
        var lexicon = new PronunciationLexicon([new("New", "Noo"), new("New York", "Noo Yawk")]);
        Assert.Equal("Noo Yawk and Noo Delhi", lexicon.Apply("New York and New Delhi"));
    }

    [Fact]
    public void An_empty_lexicon_leaves_the_text_as_written() =>
        Assert.Equal("Nguyen (NATO)", PronunciationLexicon.Empty.Apply("Nguyen (NATO)"));

    [Theory]
    [InlineData("", "x", "entries[0].written")]
    [InlineData("x", " ", "entries[0].spoken")]
    [InlineData("a\nb", "x", "entries[0].written")]
    public void A_bad_entry_is_named_by_its_field(string written, string spoken, string field) =>
        Assert.Contains(field, PronunciationLexicon.Validate([new LexiconEntry(written, spoken)]).Keys);

    [Fact]
    public void Bounds_hold_for_the_list_and_its_entries()
    {
        Assert.Contains("entries", PronunciationLexicon.Validate(null).Keys);
        Assert.Contains("entries", PronunciationLexicon.Validate(Enumerable.Range(0, PronunciationLexicon.MaxEntries + 1).Select(i => (LexiconEntry?)new($"w{i}", "s")).ToList()).Keys);
        Assert.Contains("entries[0].written", PronunciationLexicon.Validate([new(new string('a', PronunciationLexicon.MaxWrittenCharacters + 1), "s")]).Keys);
        Assert.Contains("entries[0].spoken", PronunciationLexicon.Validate([new("w", new string('a', PronunciationLexicon.MaxSpokenCharacters + 1))]).Keys);
        Assert.Contains("entries[1].written", PronunciationLexicon.Validate([new("Nguyen", "Win"), new("nguyen", "Nwin")]).Keys);
        Assert.Contains("entries[0]", PronunciationLexicon.Validate([null]).Keys);
        Assert.Empty(PronunciationLexicon.Validate([new("Nguyen", "Win"), new("重庆", "崇庆")]));
        Assert.Empty(PronunciationLexicon.Validate([]));
    }
}
