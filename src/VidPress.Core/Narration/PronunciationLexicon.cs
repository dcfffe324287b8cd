using System.Text;
using System.Text.RegularExpressions;
using VidPress.Core.Articles;

namespace VidPress.Core.Narration;

/// <summary>A name as written in the script and as the engine should say it ("Nguyen" → "Win").</summary>
public sealed record LexiconEntry(string Written, string Spoken);

/// <summary>
/// A tenant's pronunciation lexicon, applied to the text a speech engine reads and to nothing else (the script, the
/// subtitles and the timeline keep the written form). Latin entries match whole words, case-insensitive; an entry with a
/// Chinese character matches as an exact substring, since Chinese has no spaces between words. Longer entries win, and
/// spoken text is never matched again.
/// </summary>
public sealed class PronunciationLexicon
{
    public const int MaxEntries = 500, MaxWrittenCharacters = 100, MaxSpokenCharacters = 200;
    public static readonly PronunciationLexicon Empty = new([]);

    private readonly IReadOnlyList<LexiconEntry> _entries;
    private readonly Regex? _pattern;

    public PronunciationLexicon(IReadOnlyList<LexiconEntry> entries)
    {
        _entries = entries.Where(e => e.Written.Length > 0).OrderByDescending(e => e.Written.Length).ToList();
        if (_entries.Count == 0) return;
        var pattern = new StringBuilder();
        foreach (var entry in _entries)
        {
            if (pattern.Length > 0) pattern.Append('|');
            var escaped = Regex.Escape(entry.Written);
            // A word boundary for Latin text: no letter or digit of an alphabet next to it (a Chinese character is no such letter).
            pattern.Append(entry.Written.Any(CjkText.IsIdeograph) ? $"({escaped})" : $"(?<!{WordCharacter})({escaped})(?!{WordCharacter})");
        }
        _pattern = new Regex(pattern.ToString(), RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
    }

    private const string WordCharacter = @"[\p{L}\p{N}_-[\p{Lo}]]";

    public string Apply(string text) =>
        _pattern is null ? text : _pattern.Replace(text, m =>
        {
            for (var g = 1; g < m.Groups.Count; g++)
                if (m.Groups[g].Success) return _entries[g - 1].Spoken;
            return m.Value;
        });

    /// <summary>What is wrong with a lexicon a tenant sends, by field (<c>entries[3].written</c>); empty when it is fine.</summary>
    public static Dictionary<string, string[]> Validate(IReadOnlyList<LexiconEntry?>? entries)
    {
        var problems = new Dictionary<string, string[]>();
        if (entries is null) { problems["entries"] = ["A list of {written, spoken} entries (empty to clear it)."]; return problems; }
        if (entries.Count > MaxEntries) { problems["entries"] = [$"At most {MaxEntries} entries; it has {entries.Count}."]; return problems; }
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i];
            if (entry is null) { problems[$"entries[{i}]"] = ["An entry {written, spoken}."]; continue; }
            if (Problem(entry.Written, MaxWrittenCharacters) is { } written) problems[$"entries[{i}].written"] = [written];
            else if (!seen.Add(entry.Written.Trim())) problems[$"entries[{i}].written"] = [$"'{entry.Written}' is in the lexicon twice."];
            if (Problem(entry.Spoken, MaxSpokenCharacters) is { } spoken) problems[$"entries[{i}].spoken"] = [spoken];
        }
        return problems;

        static string? Problem(string? value, int max) =>
            string.IsNullOrWhiteSpace(value) ? "Not empty."
            : value.Trim().Length > max ? $"At most {max} characters."
            : value.Any(char.IsControl) ? "No control characters (line breaks, tabs …)."
            : null;
    }
}
