using Microsoft.Extensions.Options;
using VidPress.Core.Narration;

namespace VidPress.Core.Script;

public sealed class ScriptOptions
{
    /// <summary>Used when the request names no target duration.</summary>
    public double DefaultTargetSeconds { get; set; } = 60;

    // Calibrated against espeak-ng 1.51 on this project's machine: twelve news sentences per language
    // (council budget story, English and its Chinese translation) spoken one by one with
    // `espeak-ng -v en-us -s 165 -b 1` and `espeak-ng -v cmn -s 165 -b 1`, each trimmed of silence the way
    // WaveFile.TrimSilence does (|sample| > 200), durations summed: 211 words in 70.90 s and 332 Chinese
    // characters in 129.03 s. espeak-ng's "-s 165" is nominal: it speaks English faster (179 words/min) and
    // Mandarin far slower than 165 syllables/min. Both rates scale with NarrationOptions.Rate / CalibratedAtRate.

    /// <summary>Words per second of the default English voice (espeak-ng en-us) at <see cref="CalibratedAtRate"/>.</summary>
    public double EnglishWordsPerSecond { get; set; } = 2.976;

    /// <summary>Characters per second of the default Mandarin voice (espeak-ng cmn) at <see cref="CalibratedAtRate"/>.</summary>
    public double ChineseCharactersPerSecond { get; set; } = 2.573;

    /// <summary>The espeak-ng "-s" value the two rates above were measured at.</summary>
    public int CalibratedAtRate { get; set; } = 165;

    /// <summary>Most sentences a script may have, the caller's or a summary.</summary>
    public int MaxSentences { get; set; } = 200;

    /// <summary>Sentences of an article read for the summary; later ones are rarely news and make ranking slower.</summary>
    public int MaxArticleSentences { get; set; } = 400;
}

/// <summary>
/// Writes the narration script. From an article: an extractive summary that fits the target duration —
/// sentences ranked by TextRank over shared content words, the lead always kept, then the best-ranked that
/// still fit, read in the article's order. From a caller's script: their sentences as given. Either way the
/// script comes back tagged (<see cref="ScriptTagger"/>).
/// </summary>
public sealed class ScriptWriter(IOptions<ScriptOptions> options, IOptions<NarrationOptions> narrationOptions)
{
    private readonly ScriptOptions _options = options.Value;
    private readonly NarrationOptions _narration = narrationOptions.Value;

    public ScriptDocument Write(string articleText, string language, double targetSeconds)
    {
        ArgumentNullException.ThrowIfNull(articleText);
        var target = targetSeconds > 0 ? targetSeconds : _options.DefaultTargetSeconds;
        var sentences = SentenceSplitter.Split(articleText).Take(_options.MaxArticleSentences).ToList();
        if (sentences.Count == 0) throw new VideoInputException("The article has no sentences to narrate.");

        var chosen = Summarise(sentences, language, target);
        var script = new ScriptDocument(language, chosen.Select((s, i) => new ScriptSentence(i, sentences[s])).ToList());
        return ScriptTagger.Tag(script, articleText);
    }

    /// <summary>A script the caller wrote, kept sentence for sentence; only tags are added.</summary>
    public ScriptDocument FromCaller(IReadOnlyList<CallerSentence> sentences, string language)
    {
        if (sentences.Count == 0) throw new VideoInputException("The script has no sentences.");
        if (sentences.Count > _options.MaxSentences) throw new VideoInputException($"The script has more than {_options.MaxSentences} sentences.");
        var script = new ScriptDocument(language, sentences.Select((s, i) =>
        {
            if (string.IsNullOrWhiteSpace(s.Text)) throw new VideoInputException($"Script sentence {i + 1} is empty.");
            return new ScriptSentence(i, s.Text.Trim()) { Keywords = s.Keywords ?? [], PinnedAssetId = s.AssetId };
        }).ToList());
        return ScriptTagger.Tag(script);
    }

    /// <summary>Indexes of the sentences to narrate, in article order.</summary>
    internal IReadOnlyList<int> Summarise(IReadOnlyList<string> sentences, string language, double targetSeconds)
    {
        var seconds = sentences.Select(s => EstimateSeconds(s, language)).ToArray();
        var scores = TextRank.Rank(sentences.Select(s => Words.ContentWords(s, language)).ToList());
        var chosen = new List<int> { 0 };
        var spoken = NarrationOverheadSeconds(1) + seconds[0];
        foreach (var i in Enumerable.Range(1, sentences.Count - 1).OrderByDescending(i => scores[i]).ThenBy(i => i))
        {
            if (chosen.Count >= _options.MaxSentences) break;
            // A sentence that does not fit is skipped, not the end: a shorter one further down may still fit.
            var withIt = spoken + seconds[i] + _narration.PauseSeconds;
            if (withIt > targetSeconds) continue;
            chosen.Add(i);
            spoken = withIt;
        }
        chosen.Sort();
        return chosen;
    }

    /// <summary>The narration's silence around the speech: lead-in, tail and the pauses between sentences.</summary>
    private double NarrationOverheadSeconds(int sentences) =>
        _narration.LeadInSeconds + _narration.TailSeconds + Math.Max(0, sentences - 1) * _narration.PauseSeconds;

    /// <summary>How long the narration voice takes to speak a sentence, from the calibrated rate.</summary>
    public double EstimateSeconds(string sentence, string language)
    {
        var speed = (double)_narration.Rate / _options.CalibratedAtRate;
        if (language == Languages.Chinese)
            return sentence.Count(c => Languages.IsCjk(c) || char.IsLetterOrDigit(c)) / (_options.ChineseCharactersPerSecond * speed);
        var words = sentence.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Count(w => w.Any(char.IsLetterOrDigit));
        return words / (_options.EnglishWordsPerSecond * speed);
    }
}

/// <summary>
/// TextRank (Mihalcea and Tarau, 2004) over sentences: two sentences are linked by the content words they
/// share, normalised by their lengths, and a sentence ranks high when sentences that rank high link to it.
/// The random jump favours early sentences, because news puts what matters first.
/// </summary>
public static class TextRank
{
    public static double[] Rank(IReadOnlyList<IReadOnlyList<string>> sentenceWords, double damping = 0.85, int iterations = 50)
    {
        var n = sentenceWords.Count;
        if (n == 0) return [];
        var sets = sentenceWords.Select(w => new HashSet<string>(w)).ToArray();
        var weights = new double[n, n];
        var outSum = new double[n];
        for (var i = 0; i < n; i++)
            for (var j = i + 1; j < n; j++)
            {
                if (sets[i].Count < 2 || sets[j].Count < 2) continue;
                var shared = sets[i].Count(sets[j].Contains);
                if (shared == 0) continue;
                var w = shared / (Math.Log(sets[i].Count) + Math.Log(sets[j].Count));
                weights[i, j] = weights[j, i] = w;
                outSum[i] += w;
                outSum[j] += w;
            }

        var jump = Enumerable.Range(0, n).Select(i => 1.0 / (1 + i)).ToArray();
        var jumpSum = jump.Sum();
        for (var i = 0; i < n; i++) jump[i] /= jumpSum;

        var score = Enumerable.Repeat(1.0 / n, n).ToArray();
        for (var iteration = 0; iteration < iterations; iteration++)
        {
            var next = new double[n];
            for (var i = 0; i < n; i++)
            {
                var sum = 0.0;
                for (var j = 0; j < n; j++)
                    if (weights[j, i] > 0) sum += weights[j, i] / outSum[j] * score[j];
                next[i] = (1 - damping) * jump[i] + damping * sum;
            }
            // Sentences with no links leak rank; hand it back through the jump so scores stay comparable.
            var leaked = 1 - next.Sum();
            for (var i = 0; i < n; i++) next[i] += leaked * jump[i];
            score = next;
        }
        return score;
    }
}
