using System.Globalization;
using System.Text;

namespace VidPress.Core.Library;

/// <summary>
/// The terms full-text search indexes and queries: lower-cased words of Latin-script text (stop words
/// dropped) and, for Chinese, Japanese and Korean runs, overlapping character bigrams. Bigrams need no
/// dictionary and find any two-character word ("天安门" → 天安 安门); jieba would give fewer, better terms.
/// Index and query go through the same function, so they always agree.
/// </summary>
public static class TextTerms
{
    /// <summary>
    /// The text with lone surrogates and U+FFFE, which string.Normalize refuses with an exception, as U+FFFD: any
    /// caller's title, tag or query may hold them (a 500 on an upload or a search).
    /// </summary>
    private static string WellFormed(string text)
    {
        if (!text.AsSpan().ContainsAnyInRange('\ud800', '\udfff') && !text.Contains('\uFFFE')) return text;
        var sb = new StringBuilder(text.Length);
        foreach (var rune in text.EnumerateRunes()) sb.Append(rune.Value == 0xFFFE ? Rune.ReplacementChar.ToString() : rune.ToString());
        return sb.ToString();
    }

    public static IReadOnlyList<string> Tokenize(string? text)
    {
        var terms = new List<string>();
        if (string.IsNullOrWhiteSpace(text)) return terms;
        var normalized = WellFormed(text).Normalize(NormalizationForm.FormKC).ToLowerInvariant();
        var word = new StringBuilder();
        var cjk = new List<string>();

        void FlushWord()
        {
            if (word.Length > 0)
            {
                var w = word.ToString();
                if (w.Length > 1 || char.IsDigit(w[0]))
                    if (!QueryPhrases.IsStopWord(w) && w.Length <= 60) terms.Add(w);
                word.Clear();
            }
        }
        void FlushCjk()
        {
            if (cjk.Count == 1) terms.Add(cjk[0]);
            for (var i = 0; i + 1 < cjk.Count; i++) terms.Add(cjk[i] + cjk[i + 1]);
            cjk.Clear();
        }

        var enumerator = StringInfo.GetTextElementEnumerator(normalized);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            var rune = Rune.GetRuneAt(element, 0);
            if (IsCjk(rune))
            {
                FlushWord();
                cjk.Add(element);
            }
            else if (Rune.IsLetterOrDigit(rune))
            {
                FlushCjk();
                word.Append(element);
            }
            else
            {
                FlushWord();
                FlushCjk();
            }
        }
        FlushWord();
        FlushCjk();
        return terms;
    }

    /// <summary>The space-separated, de-duplicated terms of an asset's title, description and tags.</summary>
    public static string ForAsset(string title, string? description, IEnumerable<string> tags) =>
        string.Join(' ', Tokenize(title).Concat(Tokenize(description)).Concat(tags.SelectMany(Tokenize)).Distinct(StringComparer.Ordinal));

    /// <summary>
    /// A tsquery matching any of the terms. Terms hold only letters and digits, and each is quoted, so nothing
    /// in the caller's text can change the query's structure.
    /// </summary>
    public static string? OrQuery(IEnumerable<string> terms)
    {
        var quoted = terms.Distinct(StringComparer.Ordinal).Take(64).Select(t => "'" + t.Replace("'", "''", StringComparison.Ordinal) + "'").ToList();
        return quoted.Count == 0 ? null : string.Join(" | ", quoted);
    }

    private static bool IsCjk(Rune rune) => rune.Value is
        >= 0x4E00 and <= 0x9FFF      // CJK unified ideographs
        or >= 0x3400 and <= 0x4DBF   // extension A
        or >= 0x20000 and <= 0x2EBEF // extensions B–F
        or >= 0xF900 and <= 0xFAFF   // compatibility ideographs
        or >= 0x3040 and <= 0x30FF   // hiragana, katakana
        or >= 0xAC00 and <= 0xD7AF;  // hangul syllables
}
