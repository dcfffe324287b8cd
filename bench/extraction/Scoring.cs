using System.Globalization;
using System.Text;

namespace VidPress.ExtractionBench;

/// <summary>
/// The scoring of the public extraction benchmarks: the extracted text and the human text as bags of tokens, precision
/// and recall per page from their overlap, the corpus's precision and recall the means over its pages, F1 their
/// harmonic mean. A token is a run of letters and digits, or one CJK character (Chinese is not written with spaces).
/// With <c>n</c> above 1 tokens are grouped into overlapping n-grams ("shingles"), as the ScrapingHub/Zyte article
/// extraction benchmark does with n = 4.
/// </summary>
public static class Scoring
{
    public readonly record struct PageScore(double Precision, double Recall, int Predicted, int Truth)
    {
        public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
    }

    public static List<string> Tokens(string text)
    {
        var tokens = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in text.EnumerateRunes())
        {
            if (IsCjk(rune))
            {
                Flush();
                tokens.Add(rune.ToString());
            }
            else if (Rune.IsLetterOrDigit(rune) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.ConnectorPunctuation)
            {
                word.Append(rune.ToString());
            }
            else Flush();
        }
        Flush();
        return tokens;

        void Flush()
        {
            if (word.Length > 0) tokens.Add(word.ToString());
            word.Clear();
        }
    }

    /// <summary>Han ideographs, kana and hangul syllables: each one a token.</summary>
    public static bool IsCjk(Rune r) => r.Value is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0xF900 and <= 0xFAFF
        or >= 0x20000 and <= 0x2FA1F or >= 0x3040 and <= 0x30FF or >= 0xAC00 and <= 0xD7AF;

    public static PageScore Score(string truth, string predicted, int n = 1)
    {
        var t = Bag(Tokens(truth), n);
        var p = Bag(Tokens(predicted), n);
        var tp = 0;
        foreach (var (key, count) in p) tp += Math.Min(count, t.GetValueOrDefault(key));
        var predictedCount = p.Values.Sum();
        var truthCount = t.Values.Sum();
        // As the public benchmarks count it: nothing expected and nothing given is a perfect page.
        var precision = predictedCount == 0 ? (truthCount == 0 ? 1 : 0) : (double)tp / predictedCount;
        var recall = truthCount == 0 ? (predictedCount == 0 ? 1 : 0) : (double)tp / truthCount;
        return new PageScore(precision, recall, predictedCount, truthCount);
    }

    private static Dictionary<string, int> Bag(List<string> tokens, int n)
    {
        var bag = new Dictionary<string, int>(StringComparer.Ordinal);
        if (tokens.Count == 0) return bag;
        var count = n == 1 ? tokens.Count : Math.Max(1, tokens.Count - n + 1);
        for (var i = 0; i < count; i++)
        {
            var key = n == 1 ? tokens[i] : string.Join('\u0001', tokens.Skip(i).Take(n));
            bag[key] = bag.GetValueOrDefault(key) + 1;
        }
        return bag;
    }

    /// <summary>Output that shares almost nothing with the article: a menu, a cookie banner, "Advertisement", or nothing.</summary>
    public static bool IsBoilerplateOnly(PageScore s) => s.Truth > 0 && (s.Predicted == 0 || s.Precision < 0.1 || s.Recall < 0.1);
}
