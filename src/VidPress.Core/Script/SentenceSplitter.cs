using System.Text;

namespace VidPress.Core.Script;

/// <summary>
/// Splits article text into sentences for English and Chinese. A Latin full stop ends a sentence only
/// when followed by white space (so 3.5 and U.S.-based stay whole) and not after a known abbreviation;
/// Chinese full-width terminators end a sentence wherever they stand. Closing quotes and brackets stay
/// with the sentence they close.
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "mt", "gen", "gov", "sen", "rep", "col", "lt", "sgt",
        "capt", "cmdr", "adm", "rev", "hon", "pres", "inc", "ltd", "co", "corp", "vs", "etc", "no", "vol", "fig",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "approx", "dept", "est",
    };

    private const string Closers = "\"'”’»)]）】」』";

    public static IReadOnlyList<string> Split(string text)
    {
        var sentences = new List<string>();
        var normalised = text.Replace("\r\n", "\n");
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

            // Runs of terminators ("?!", "...", "。」") belong to the same sentence end.
            while (i + 1 < normalised.Length && (IsTerminator(normalised[i + 1]) || Closers.Contains(normalised[i + 1])))
                current.Append(normalised[++i]);

            var fullWidth = c is '。' or '！' or '？' or '…' or '；';
            var atEnd = i + 1 >= normalised.Length;
            var followedBySpace = !atEnd && char.IsWhiteSpace(normalised[i + 1]);
            if (fullWidth || atEnd || (followedBySpace && !EndsWithAbbreviation(current) && !IsEllipsisMidSentence(normalised, i)))
                Flush(current, sentences);
        }
        Flush(current, sentences);
        return sentences;
    }

    private static bool IsTerminator(char c) => c is '.' or '!' or '?' or '。' or '！' or '？' or '…' or '；';

    private static bool EndsWithAbbreviation(StringBuilder sentence)
    {
        var s = sentence.ToString().TrimEnd(Closers.ToCharArray());
        if (!s.EndsWith('.')) return false;
        var end = s.Length - 1;
        var start = end;
        while (start > 0 && (char.IsLetter(s[start - 1]) || s[start - 1] == '.')) start--;
        var word = s[start..end];
        if (word.Length == 0) return false;
        // Initials and dotted acronyms: "J.", "U.S.", "a.m."
        if (word.Length == 1 && char.IsUpper(word[0])) return true;
        if (word.Contains('.')) return true;
        return Abbreviations.Contains(word);
    }

    // "and then... nothing" keeps going when the next word starts in lower case.
    private static bool IsEllipsisMidSentence(string text, int i)
    {
        if (!(text[i] == '…' || (i >= 2 && text[i] == '.' && text[i - 1] == '.' && text[i - 2] == '.'))) return false;
        var j = i + 1;
        while (j < text.Length && char.IsWhiteSpace(text[j])) j++;
        return j < text.Length && char.IsLower(text[j]);
    }

    private static void Flush(StringBuilder current, List<string> sentences)
    {
        var sentence = string.Join(' ', current.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        if (sentence.Length > 0 && sentence.Any(char.IsLetterOrDigit)) sentences.Add(sentence);
        current.Clear();
    }
}
