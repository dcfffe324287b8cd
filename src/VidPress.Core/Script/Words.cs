using JiebaNet.Analyser;
using JiebaNet.Segmenter;
using JiebaNet.Segmenter.PosSeg;

namespace VidPress.Core.Script;

/// <summary>A word of a sentence with its part of speech (jieba's tag set for Chinese; none for English).</summary>
public readonly record struct TaggedWord(string Word, string? Tag);

/// <summary>
/// Words of English and Chinese text. Chinese goes through jieba with the dictionaries shipped beside the
/// assembly (copied from the jieba.NET package at build time), so nothing is fetched at run time.
/// </summary>
public static class Words
{
    private static readonly object JiebaLock = new();
    private static readonly Lazy<JiebaSegmenter> Segmenter = new(() => { Configure(); return new JiebaSegmenter(); });
    private static readonly Lazy<PosSegmenter> PosSegmenter = new(() => { Configure(); return new PosSegmenter(); });
    private static readonly Lazy<TfidfExtractor> Tfidf = new(() => { Configure(); return new TfidfExtractor(); });
    private static readonly Lazy<HashSet<string>> StopWordSet = new(LoadStopWords);

    // Verbs and fillers of news copy that carry no picture; jieba's list covers the grammatical words.
    private static readonly string[] NewsFillers =
    [
        "said", "says", "say", "told", "tell", "according", "also", "would", "could", "will", "may", "might", "must", "shall",
        "year", "years", "week", "weeks", "day", "days", "month", "months", "today", "yesterday", "tomorrow", "monday", "tuesday",
        "wednesday", "thursday", "friday", "saturday", "sunday", "percent", "one", "two", "three", "four", "five", "six", "seven",
        "eight", "nine", "ten", "new", "many", "much", "including", "added", "made", "make", "time", "people", "first", "last",
        "next", "well", "around", "like", "since", "still", "however", "although", "though", "would", "mr", "mrs", "ms", "dr",
        "表示", "认为", "指出", "介绍", "据", "称", "说", "今年", "去年", "明年", "目前", "已经", "记者", "日前", "近日", "相关", "进行",
        "一个", "我们", "他们", "这个", "这些", "没有", "可以", "通过", "以及", "其中", "方面", "问题", "工作", "情况", "今天", "昨天",
    ];

    /// <summary>Where jieba's dictionaries are; beside this assembly unless a host moved them.</summary>
    public static string DictionaryFolder { get; set; } = Path.Combine(AppContext.BaseDirectory, "jieba");

    private static void Configure()
    {
        var dictionary = Path.Combine(DictionaryFolder, "dict.txt");
        if (!File.Exists(dictionary))
            throw new FileNotFoundException($"jieba's dictionary is missing at {dictionary}; the build copies it from the jieba.NET package.", dictionary);
        ConfigManager.ConfigFileBaseDir = DictionaryFolder;
    }

    private static HashSet<string> LoadStopWords()
    {
        Configure();
        var words = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in File.ReadLines(Path.Combine(DictionaryFolder, "stopwords.txt")))
        {
            var word = line.Trim().TrimStart('\uFEFF');
            if (word.Length > 0) words.Add(word);
        }
        words.UnionWith(NewsFillers);
        return words;
    }

    public static bool IsStopWord(string word) => StopWordSet.Value.Contains(word);

    /// <summary>Chinese words with jieba's part-of-speech tags (nr person, ns place, nt organisation, n noun, v verb, …).</summary>
    public static IReadOnlyList<TaggedWord> TagChinese(string text)
    {
        var segmenter = PosSegmenter.Value;
        lock (JiebaLock) return segmenter.Cut(text).Select(p => new TaggedWord(p.Word, p.Flag)).ToList();
    }

    public static IReadOnlyList<string> SegmentChinese(string text)
    {
        var segmenter = Segmenter.Value;
        lock (JiebaLock) return segmenter.Cut(text).ToList();
    }

    /// <summary>
    /// jieba's search mode: every word of the precise cut, and before a long word the dictionary words inside it
    /// ("三角形" → 三角, 三角形), so a search for the part finds the whole.
    /// </summary>
    public static IReadOnlyList<string> SegmentChineseForSearch(string text)
    {
        var segmenter = Segmenter.Value;
        lock (JiebaLock) return segmenter.CutForSearch(text).ToList();
    }

    /// <summary>jieba's TF-IDF keywords of a Chinese text (IDF from its shipped corpus statistics), weight normalised to the best.</summary>
    public static IReadOnlyList<(string Word, double Weight)> ChineseKeywords(string text, int count)
    {
        var extractor = Tfidf.Value;
        List<(string, double)> found;
        lock (JiebaLock)
            found = extractor.ExtractTagsWithWeight(text, count * 2, ["n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "vn", "eng", "an"])
                .Select(w => (w.Word, w.Weight)).ToList();
        var kept = found.Where(w => w.Item1.Length > 1 && !IsStopWord(w.Item1)).Take(count).ToList();
        var best = kept.Count > 0 ? kept.Max(w => w.Item2) : 1;
        return kept.Select(w => (w.Item1, best > 0 ? w.Item2 / best : 1)).ToList();
    }

    /// <summary>
    /// The words that say what a sentence is about, lower-cased: no stop words, punctuation or numbers.
    /// English words lose a plural "s" so "shares" and "share" count as one.
    /// </summary>
    public static IReadOnlyList<string> ContentWords(string sentence, string language)
    {
        if (language == Languages.Chinese)
            return SegmentChinese(sentence)
                .Select(w => w.Trim())
                .Where(w => w.Length > 1 && w.Any(Languages.IsCjk) && !IsStopWord(w))
                .ToList();
        return EnglishWords(sentence)
            .Select(w => w.ToLowerInvariant())
            .Where(w => w.Length > 2 && !IsStopWord(w) && w.Any(char.IsLetter))
            .Select(Stem)
            .ToList();
    }

    /// <summary>English words as written, with inner apostrophes, hyphens and dots ("U.S.") kept.</summary>
    public static IEnumerable<string> EnglishWords(string sentence)
    {
        foreach (var raw in sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            var word = raw.Trim('"', '\'', '“', '”', '‘', '’', '(', ')', '[', ']', ',', ';', ':', '!', '?', '—', '–');
            if (word.EndsWith('.') && word.Count(c => c == '.') == 1) word = word[..^1];
            if (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal)) word = word[..^2];
            if (word.Length > 0) yield return word;
        }
    }

    internal static string Stem(string word)
    {
        if (word.Length > 4 && word.EndsWith("ies", StringComparison.Ordinal)) return word[..^3] + "y";
        if (word.Length > 3 && word.EndsWith('s') && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
            return word[..^1];
        return word;
    }
}
