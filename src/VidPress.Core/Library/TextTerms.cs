using System.Globalization;
using System.Text;
using VidPress.Core.Script;

namespace VidPress.Core.Library;

/// <summary>
/// How text is turned into search terms: the one function the full-text index (an asset's title, description and
/// tags, <see cref="ForAsset"/>) and every query (the library search, a sentence's anchor points) go through, so they
/// always agree. Latin-script words are lower-cased, stop words dropped (no stemming). Chinese runs are cut into
/// words by jieba in search mode (<see cref="Words.SegmentChineseForSearch"/>: "橙色的三角形" → 橙色 三角 三角形), its
/// stop words dropped (的, 了 …); kana and hangul runs, which jieba does not know, give overlapping character bigrams.
/// The terms are stored space-separated and PostgreSQL makes them a tsvector with the 'simple' configuration.
/// </summary>
public static class TextTerms
{
    /// <summary>
    /// The version of these rules that an asset's stored terms were made by (<c>assets.SearchTermsVersion</c>): 1 cut
    /// Chinese into character bigrams, 2 into jieba's words. Rows made by an older version are made again at start-up.
    /// </summary>
    public const int Version = 2;

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
        var han = new StringBuilder();
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
        void FlushHan()
        {
            if (han.Length == 0) return;
            foreach (var w in Words.SegmentChineseForSearch(han.ToString()))
                if (w.Length > 0 && !Words.IsStopWord(w)) terms.Add(w);
            han.Clear();
        }
        void FlushCjk()
        {
            FlushHan();
            if (cjk.Count == 1) terms.Add(cjk[0]);
            for (var i = 0; i + 1 < cjk.Count; i++) terms.Add(cjk[i] + cjk[i + 1]);
            cjk.Clear();
        }

        var enumerator = StringInfo.GetTextElementEnumerator(normalized);
        while (enumerator.MoveNext())
        {
            var element = enumerator.GetTextElement();
            var rune = Rune.GetRuneAt(element, 0);
            if (IsHan(rune))
            {
                FlushWord();
                if (cjk.Count > 0) FlushCjk();
                han.Append(element);
            }
            else if (IsCjk(rune))
            {
                FlushWord();
                FlushHan();
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

    private static bool IsHan(Rune rune) => rune.Value is
        >= 0x4E00 and <= 0x9FFF      // CJK unified ideographs
        or >= 0x3400 and <= 0x4DBF   // extension A
        or >= 0x20000 and <= 0x2EBEF // extensions B–F
        or >= 0xF900 and <= 0xFAFF;  // compatibility ideographs

    private static bool IsCjk(Rune rune) => rune.Value is
        >= 0x3040 and <= 0x30FF      // hiragana, katakana
        or >= 0xAC00 and <= 0xD7AF;  // hangul syllables
}
