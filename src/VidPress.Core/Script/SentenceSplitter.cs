using System.Text;

namespace VidPress.Core.Script;

/// <summary>
/// Splits article text into sentences for English and Chinese.
/// <list type="bullet">
/// <item>Chinese full-width terminators (。！？；…… after a Chinese character) end a sentence wherever they stand.</item>
/// <item>A Latin stop ends a sentence only before white space (so 3.5 and U.S.-based stay whole) and only when the
/// next word does not start in lower case (so "Stop!" he said, and "wait... what" stay whole).</item>
/// <item>After a title (Mr., Dr., Gen.) or an initial (J.) a stop never ends the sentence; after another known
/// abbreviation or a dotted acronym (Inc., U.S., p.m.) it does only when a usual sentence opener follows ("… in
/// the U.S. The plan …").</item>
/// <item>Closing quotes and brackets stay with the sentence they close; a blank line always ends a sentence.</item>
/// </list>
/// </summary>
public static class SentenceSplitter
{
    // Words before a name: a stop after them is never the end of a sentence.
    private static readonly HashSet<string> Titles = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "gov", "sen", "rep", "col", "lt", "sgt", "capt",
        "cmdr", "adm", "rev", "hon", "pres", "no", "vol", "fig", "vs", "approx", "dept", "est", "ft", "ave", "messrs",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    };

    // Abbreviations that often close a sentence too ("… shares of Acme Inc. The company …").
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "inc", "ltd", "co", "corp", "plc", "llc", "etc", "bros", "jr", "sr",
    };

    private static readonly HashSet<string> SentenceOpeners = new(StringComparer.Ordinal)
    {
        "The", "A", "An", "He", "She", "It", "They", "We", "I", "You", "His", "Her", "Its", "Their", "Our", "This", "That",
        "These", "Those", "There", "But", "And", "Or", "So", "Yet", "In", "On", "At", "By", "For", "From", "After", "Before",
        "When", "While", "If", "As", "Meanwhile", "However", "Officials", "Police", "Critics", "Analysts", "Some", "Many",
        "Most", "Both", "Neither", "No", "One", "Two", "Three", "Last", "Next", "Earlier", "Later", "Now", "Still", "Its",
    };

    private const string Closers = "\"'”’»)]）】」』》";

    public static IReadOnlyList<string> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<string>();
        var normalised = text.Replace("\r\n", "\n").Replace('\r', '\n');
        var current = new StringBuilder();
        for (var i = 0; i < normalised.Length; i++)
        {
            var c = normalised[i];
            if (c == '\n' && i + 1 < normalised.Length && normalised[i + 1] == '\n')
            {
                // A blank line always ends a sentence (headlines, paragraphs without a final stop).
                Flush(current, sentences);
                continue;
            }
            current.Append(c);
            if (!IsTerminator(c)) continue;

            var before = i > 0 ? normalised[i - 1] : ' ';
            // Runs of terminators ("?!", "...", "。」") belong to the same sentence end.
            while (i + 1 < normalised.Length && (IsTerminator(normalised[i + 1]) || Closers.Contains(normalised[i + 1])))
                current.Append(normalised[++i]);

            var atEnd = i + 1 >= normalised.Length;
            var next = atEnd ? '\0' : normalised[i + 1];
            if (atEnd || EndsChineseSentence(c, before) || (c is '!' or '?' && Languages.IsCjk(next)) || (c == '.' && Languages.IsCjk(before) && Languages.IsCjk(next)))
            {
                Flush(current, sentences);
                continue;
            }
            if (!char.IsWhiteSpace(next)) continue;
            var nextWord = NextWord(normalised, i + 1);
            if (nextWord.Length == 0 || char.IsLower(nextWord[0])) continue;
            if (c == '.' && !AbbreviationAllowsEnd(current, nextWord)) continue;
            Flush(current, sentences);
        }
        Flush(current, sentences);
        return sentences;
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '。' or '！' or '？' or '…' or '；' or '．';

    // "…" is the Chinese ellipsis only after Chinese; in English it is the one-character "...".
    private static bool EndsChineseSentence(char c, char before) =>
        c is '。' or '！' or '？' or '；' or '．' || (c == '…' && (Languages.IsCjk(before) || before == '…' || IsFullWidthPunctuation(before)));

    private static bool IsFullWidthPunctuation(char c) => c is >= '\u3000' and <= '\u303F' or >= '\uFF00' and <= '\uFFEF' or '”' or '’';

    private static string NextWord(string text, int from)
    {
        var j = from;
        while (j < text.Length && char.IsWhiteSpace(text[j])) j++;
        while (j < text.Length && (Closers.Contains(text[j]) || text[j] is '“' or '‘' or '(' or '«')) j++;
        var start = j;
        while (j < text.Length && (char.IsLetterOrDigit(text[j]) || text[j] == '\'')) j++;
        // A sentence may open with a quote or a digit: return at least the next character.
        return j > start ? text[start..j] : (start < text.Length ? text[start].ToString() : "");
    }

    /// <summary>Whether a "." that follows a word may end the sentence, given the word after it.</summary>
    private static bool AbbreviationAllowsEnd(StringBuilder sentence, string nextWord)
    {
        var s = sentence.ToString().TrimEnd(Closers.ToCharArray());
        if (s.EndsWith("..", StringComparison.Ordinal)) return true;
        if (!s.EndsWith('.')) return true;
        var end = s.Length - 1;
        var start = end;
        while (start > 0 && (char.IsLetter(s[start - 1]) || s[start - 1] == '.')) start--;
        var word = s[start..end];
        if (word.Length == 0) return true;
        if (word.Length == 1 && char.IsUpper(word[0])) return false;
        if (Titles.Contains(word)) return false;
        if (word.Contains('.') || Abbreviations.Contains(word)) return SentenceOpeners.Contains(nextWord);
        return true;
    }

    private static void Flush(StringBuilder current, List<string> sentences)
    {
        var sentence = Articles.ArticleReader.Normalise(current.ToString());
        if (sentence.Length > 0 && sentence.Any(char.IsLetterOrDigit)) sentences.Add(sentence);
        current.Clear();
    }
}
