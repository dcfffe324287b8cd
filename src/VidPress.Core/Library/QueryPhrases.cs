using VidPress.Core.Script;

namespace VidPress.Core.Library;

/// <summary>
/// The texts a sentence is searched by: the whole sentence, and every run of two or three content
/// words in it. CLIP matches short visual phrases ("red circle") far better than a full news
/// sentence, whose other words ("rose over the city") pull the embedding elsewhere; a shot is scored
/// by the phrase it matches best.
/// </summary>
public static class QueryPhrases
{
    private static readonly HashSet<string> StopWords = new(StringComparer.OrdinalIgnoreCase)
    {
        "a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "at", "by", "for", "with", "from", "into", "over", "under",
        "about", "after", "before", "during", "as", "is", "are", "was", "were", "be", "been", "being", "has", "have", "had", "do",
        "does", "did", "will", "would", "can", "could", "should", "may", "might", "must", "it", "its", "this", "that", "these",
        "those", "he", "she", "they", "we", "you", "i", "his", "her", "their", "our", "your", "my", "him", "them", "us", "me",
        "not", "no", "so", "than", "then", "there", "here", "when", "where", "which", "who", "whom", "what", "why", "how",
        "said", "says", "say", "also", "later", "finally", "first", "just", "very", "more", "most", "some", "any", "all",
        "seen", "appeared", "according", "while", "if", "up", "out", "off", "again", "yet", "still",
    };

    public static bool IsStopWord(string word) => StopWords.Contains(word);

    /// <summary>
    /// A script sentence's phrases: its anchor points first (heaviest first), then its keywords, then the
    /// phrases of its text. Anchors are what the sentence is about in a few words ("Li Wei", "Bank of
    /// England", "电动汽车"), the short visual phrases CLIP matches best, and the only short phrases a Chinese
    /// sentence gets at all.
    /// </summary>
    public static IReadOnlyList<string> For(ScriptSentence sentence, string language, int maxPhrases = 24)
    {
        var phrases = sentence.Anchors.OrderByDescending(a => a.Weight).Select(a => a.Text)
            .Concat(sentence.Keywords)
            .Where(p => !string.IsNullOrWhiteSpace(p))
            .Select(p => p.Trim())
            .Concat(For(sentence.Text, language, maxPhrases))
            .Distinct(StringComparer.OrdinalIgnoreCase);
        return phrases.Take(maxPhrases).ToList();
    }

    public static IReadOnlyList<string> For(string sentence, string language, int maxPhrases = 24)
    {
        var phrases = new List<string> { sentence };
        if (language == Languages.Chinese) return phrases;
        var words = sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => new string(w.Where(c => char.IsLetterOrDigit(c) || c is '-' or '\'').ToArray()).Trim('\'', '-'))
            .Where(w => w.Length > 1 && !StopWords.Contains(w))
            .Select(w => w.ToLowerInvariant())
            .ToList();
        foreach (var size in new[] { 2, 3 })
            for (var i = 0; i + size <= words.Count; i++)
                phrases.Add(string.Join(' ', words.Skip(i).Take(size)));
        if (words.Count == 1) phrases.Add(words[0]);
        return phrases.Distinct().Take(maxPhrases).ToList();
    }
}
