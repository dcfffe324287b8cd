using Microsoft.Extensions.Options;

namespace VidPress.Core.Script;

public sealed class ScriptOptions
{
    /// <summary>Used when the request names no target duration.</summary>
    public double DefaultTargetSeconds { get; set; } = 60;
    /// <summary>Speaking rate of the default English voice, words per second (espeak-ng at 175 wpm).</summary>
    public double EnglishWordsPerSecond { get; set; } = 2.7;
    /// <summary>Speaking rate of the default Mandarin voice, characters per second.</summary>
    public double ChineseCharactersPerSecond { get; set; } = 4.2;
    public int MaxSentences { get; set; } = 200;
}

/// <summary>
/// Writes the narration script: the article's sentences from the top, as many as fit the target
/// duration at the voice's speaking rate. The lead sentence is always kept.
/// </summary>
public sealed class ScriptWriter(IOptions<ScriptOptions> options)
{
    private readonly ScriptOptions _options = options.Value;

    public ScriptDocument Write(string articleText, string language, double targetSeconds)
    {
        var target = targetSeconds > 0 ? targetSeconds : _options.DefaultTargetSeconds;
        var sentences = SentenceSplitter.Split(articleText);
        if (sentences.Count == 0) throw new VideoInputException("The article has no sentences to narrate.");

        var chosen = new List<ScriptSentence>();
        var spoken = 0.0;
        foreach (var sentence in sentences.Take(_options.MaxSentences))
        {
            var seconds = EstimateSeconds(sentence, language);
            if (chosen.Count > 0 && spoken + seconds > target) break;
            chosen.Add(new ScriptSentence(chosen.Count, sentence));
            spoken += seconds;
        }
        return new ScriptDocument(language, chosen);
    }

    public double EstimateSeconds(string sentence, string language)
    {
        if (language == Languages.Chinese)
            return sentence.Count(c => Languages.IsCjk(c) || char.IsLetterOrDigit(c)) / _options.ChineseCharactersPerSecond;
        var words = sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
        return words / _options.EnglishWordsPerSecond;
    }
}
