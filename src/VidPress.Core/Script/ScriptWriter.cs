using Microsoft.Extensions.Options;

namespace VidPress.Core.Script;

/// <summary>
/// Writes the narration script. From an article: an extractive summary that fits the target duration —
/// sentences ranked by TextRank over shared content words, the lead always kept, then the best-ranked that
/// still fit, read in the article's order. From a caller's script: their sentences as given. Either way the
/// script comes back tagged (<see cref="ScriptTagger"/>).
/// </summary>
public sealed class ScriptWriter(IOptions<ScriptOptions> options, IOptions<NarrationPaceOptions> pace)
{
    private readonly ScriptOptions _options = options.Value;
    private readonly NarrationPaceOptions _narration = pace.Value;

    /// <summary>The longest target a request may ask for, and the target of a caller's script that names none.</summary>
    public const double MaxTargetSeconds = 600;

    /// <summary>
    /// How far the spoken narration may run past its target: the script is fitted with the calibrated estimate, and
    /// espeak-ng's pace differs from it (numbers are read out as several words). Narration lasting longer than
    /// target × (1 + <see cref="NarrationTolerance"/>) + <see cref="NarrationToleranceSeconds"/> is shortened (the narrator's <c>Shorten</c>).
    /// </summary>
    public const double NarrationTolerance = 0.2;

    /// <inheritdoc cref="NarrationTolerance"/>
    public const double NarrationToleranceSeconds = 2;

    /// <summary>The most a narration for <paramref name="targetSeconds"/> may last once spoken.</summary>
    public static double NarrationBoundSeconds(double targetSeconds) => targetSeconds * (1 + NarrationTolerance) + NarrationToleranceSeconds;

    /// <summary>The target a video's script is fitted to: the request's, else the default for an article and the maximum for a caller's script.</summary>
    public double TargetSeconds(double requested, bool callerScript) =>
        requested > 0 ? Math.Min(requested, MaxTargetSeconds) : callerScript ? MaxTargetSeconds : _options.DefaultTargetSeconds;

    /// <param name="speakingRate">The request's factor on the narration pace (<c>speakingRate</c>, 0.5–2): a faster voice fits more words.</param>
    public ScriptDocument Write(string articleText, string language, double targetSeconds, double speakingRate = 1)
    {
        ArgumentNullException.ThrowIfNull(articleText);
        var target = TargetSeconds(targetSeconds, callerScript: false);
        var sentences = SentenceSplitter.Split(articleText).Take(_options.MaxArticleSentences).ToList();
        if (sentences.Count == 0) throw new VideoInputException("The article has no sentences to narrate.");

        var chosen = Summarise(sentences, language, target, speakingRate);
        var fitted = FitToTarget(chosen.Select(s => sentences[s]).ToList(), language, target, speakingRate);
        var script = new ScriptDocument(language, fitted.Select((text, i) => new ScriptSentence(i, text)).ToList());
        return ScriptTagger.Tag(script, articleText);
    }

    /// <summary>
    /// A script the caller wrote, kept sentence for sentence as far as it fits <paramref name="targetSeconds"/> (0: the
    /// maximum, <see cref="MaxTargetSeconds"/>), by the same rule as a summary (<see cref="FitToTarget"/>); only tags are added.
    /// </summary>
    public ScriptDocument FromCaller(IReadOnlyList<CallerSentence> sentences, string language, double targetSeconds = 0, double speakingRate = 1)
    {
        if (sentences.Count == 0) throw new VideoInputException("The script has no sentences.");
        if (sentences.Count > _options.MaxSentences) throw new VideoInputException($"The script has more than {_options.MaxSentences} sentences.");
        for (var i = 0; i < sentences.Count; i++)
            if (string.IsNullOrWhiteSpace(sentences[i].Text)) throw new VideoInputException($"Script sentence {i + 1} is empty.");
        var fitted = FitToTarget(sentences.Select(s => s.Text.Trim()).ToList(), language, TargetSeconds(targetSeconds, callerScript: true), speakingRate);
        var script = new ScriptDocument(language, fitted.Select((text, i) =>
            new ScriptSentence(i, text) { Keywords = sentences[i].Keywords ?? [], PinnedAssetId = sentences[i].AssetId }).ToList());
        return ScriptTagger.Tag(script);
    }

    /// <summary>
    /// The rule that holds a narration to its target, for summaries and callers' scripts alike: sentences are kept in
    /// order while the estimated narration (lead-in, pauses and tail included) fits the target; the first that does not
    /// fit is cut (<see cref="Cut"/>) to the time left, and the sentences after it are left out. A sentence longer than
    /// the whole target is therefore cut, never narrated at full length.
    /// </summary>
    internal IReadOnlyList<string> FitToTarget(IReadOnlyList<string> sentences, string language, double targetSeconds, double speakingRate = 1)
    {
        var kept = new List<string>();
        var left = targetSeconds - NarrationOverheadSeconds(1);
        foreach (var sentence in sentences)
        {
            if (kept.Count > 0) left -= _narration.PauseSeconds;
            var seconds = EstimateSeconds(sentence, language, speakingRate);
            if (seconds <= left + 1e-9)
            {
                kept.Add(sentence);
                left -= seconds;
                continue;
            }
            if (Cut(sentence, language, left, speakingRate) is { } cut) kept.Add(cut);
            break;
        }
        if (kept.Count == 0) throw new VideoInputException($"Not even the first words fit a {targetSeconds:0.#} s narration; raise targetDurationSeconds.");
        return kept;
    }

    private const string ClauseMarks = ",;:，；：、—–";
    private const string EndMarks = ".!?。！？…";

    /// <summary>
    /// The longest start of <paramref name="sentence"/> spoken (by the estimate) within <paramref name="seconds"/>: up to
    /// the last clause boundary that fits (a comma, semicolon, colon or dash; "，；：、" in Chinese) when that keeps at
    /// least half of the words that would fit, else up to the last word that fits (in Chinese, the last character),
    /// ended with a full stop. Null when not even one word fits.
    /// </summary>
    internal string? Cut(string sentence, string language, double seconds, double speakingRate = 1)
    {
        var chinese = language == Languages.Chinese;
        var perSecond = (chinese ? _options.ChineseCharactersPerSecond : _options.EnglishWordsPerSecond) * _narration.Rate * speakingRate / _options.CalibratedAtRate;
        var most = (int)Math.Floor(seconds * perSecond + 1e-9);
        if (most < 1) return null;
        int units = 0, wordEnd = -1, wordUnits = 0, clauseEnd = -1, clauseUnits = 0;
        var whole = true;
        if (chinese)
        {
            for (var i = 0; i < sentence.Length; i++)
            {
                var c = sentence[i];
                if ((Languages.IsCjk(c) || char.IsLetterOrDigit(c)) && ++units > most) { whole = false; break; }
                // After a Chinese character or a mark, or at the end of a Latin word or number.
                var next = i + 1 < sentence.Length ? sentence[i + 1] : ' ';
                if (units == 0 || !(Languages.IsCjk(c) || !char.IsLetterOrDigit(c) || !char.IsLetterOrDigit(next))) continue;
                (wordEnd, wordUnits) = (i + 1, units);
                if (ClauseMarks.Contains(c)) (clauseEnd, clauseUnits) = (i + 1, units);
            }
        }
        else
        {
            for (var i = 0; i < sentence.Length;)
            {
                while (i < sentence.Length && char.IsWhiteSpace(sentence[i])) i++;
                var start = i;
                while (i < sentence.Length && !char.IsWhiteSpace(sentence[i])) i++;
                if (i == start) break;
                var word = sentence.AsSpan(start, i - start);
                if (HasLetterOrDigit(word) && ++units > most) { whole = false; break; }
                if (units == 0) continue;
                (wordEnd, wordUnits) = (i, units);
                if (ClauseMarks.Contains(word[^1])) (clauseEnd, clauseUnits) = (i, units);
            }
        }
        if (whole) return sentence;
        if (wordEnd < 0) return null;
        var end = clauseEnd > 0 && clauseUnits * 2 >= wordUnits ? clauseEnd : wordEnd;
        var cut = sentence[..end].TrimEnd().TrimEnd((ClauseMarks + " -").ToCharArray()).TrimEnd();
        return EndMarks.Contains(cut[^1]) ? cut : cut + (chinese ? "。" : ".");
    }

    private static bool HasLetterOrDigit(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
            if (char.IsLetterOrDigit(c)) return true;
        return false;
    }

    /// <summary>
    /// Indexes of the sentences to narrate, in article order: the lead, then the set of other sentences with the
    /// highest total rank whose narration ends in the last <see cref="FillBand"/> of the target (a 0/1 knapsack
    /// over tenths of a second). Ranking alone stops short whenever the next-best sentence is too long, which
    /// with 10-18 s Mandarin sentences leaves a quarter of the target empty.
    /// </summary>
    internal IReadOnlyList<int> Summarise(IReadOnlyList<string> sentences, string language, double targetSeconds, double speakingRate = 1)
    {
        var seconds = sentences.Select(s => EstimateSeconds(s, language, speakingRate)).ToArray();
        var scores = TextRank.Rank(sentences.Select(s => Words.ContentWords(s, language)).ToList());
        var capacity = (int)Math.Floor((targetSeconds - NarrationOverheadSeconds(1) - seconds[0]) * 10);
        var candidates = Enumerable.Range(1, sentences.Count - 1).Where(i => Ticks(i) <= capacity).ToList();
        if (capacity <= 0 || candidates.Count == 0) return [0];

        // best[c]: highest total rank of a set of candidates lasting exactly c tenths; took[k, c]: whether candidate k is in it.
        var best = new double[capacity + 1];
        Array.Fill(best, double.NegativeInfinity);
        best[0] = 0;
        var took = new bool[candidates.Count, capacity + 1];
        for (var k = 0; k < candidates.Count; k++)
        {
            var weight = Ticks(candidates[k]);
            for (var c = capacity; c >= weight; c--)
            {
                var with = best[c - weight] + scores[candidates[k]];
                if (with > best[c]) { best[c] = with; took[k, c] = true; }
            }
        }
        var lowest = (int)Math.Ceiling(capacity - targetSeconds * 10 * FillBand);
        var reachable = Enumerable.Range(0, capacity + 1).Where(c => !double.IsNegativeInfinity(best[c])).ToList();
        var inBand = reachable.Where(c => c >= lowest).ToList();
        var end = inBand.Count > 0 ? inBand.MaxBy(c => best[c]) : reachable.Max();

        var chosen = new List<int> { 0 };
        for (int k = candidates.Count - 1, c = end; k >= 0 && c > 0; k--)
        {
            // Walking the candidates backwards, took[k, c] is the choice made for c when candidate k was considered.
            if (!took[k, c]) continue;
            chosen.Add(candidates[k]);
            c -= Ticks(candidates[k]);
        }
        chosen.Sort();
        return chosen.Take(_options.MaxSentences).ToList();

        int Ticks(int i) => (int)Math.Ceiling((seconds[i] + _narration.PauseSeconds) * 10);
    }

    /// <summary>How far below the target a summary may end when a fuller one exists: the last 5 %.</summary>
    internal const double FillBand = 0.05;

    /// <summary>The narration's silence around the speech: lead-in, tail and the pauses between sentences.</summary>
    private double NarrationOverheadSeconds(int sentences) =>
        _narration.LeadInSeconds + _narration.TailSeconds + Math.Max(0, sentences - 1) * _narration.PauseSeconds;

    /// <summary>How long the narration voice takes to speak a sentence, from the calibrated rate (times the request's <paramref name="speakingRate"/>).</summary>
    public double EstimateSeconds(string sentence, string language, double speakingRate = 1)
    {
        var speed = _narration.Rate * speakingRate / _options.CalibratedAtRate;
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
