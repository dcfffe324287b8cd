namespace VidPress.Core.Script;

/// <summary>How a narration script is written and fitted to its target; bound from the "Script" section.</summary>
public sealed class ScriptOptions
{
    public const string SectionName = "Script";

    /// <summary>Used when the request names no target duration.</summary>
    [Between(1, ScriptWriter.MaxTargetSeconds)]
    public double DefaultTargetSeconds { get; set; } = 60;

    // Calibrated against espeak-ng 1.51 on this project's machine: twelve news sentences per language
    // (council budget story, English and its Chinese translation) spoken one by one with
    // `espeak-ng -v en-us -s 165 -b 1` and `espeak-ng -v cmn -s 165 -b 1`, each trimmed of silence the way
    // WaveFile.TrimSilence does (|sample| > 200), durations summed: 211 words in 70.90 s and 332 Chinese
    // characters in 129.03 s. espeak-ng's "-s 165" is nominal: it speaks English faster (179 words/min) and
    // Mandarin far slower than 165 syllables/min. Both rates scale with NarrationPaceOptions.Rate / CalibratedAtRate.

    /// <summary>Words per second of the default English voice (espeak-ng en-us) at <see cref="CalibratedAtRate"/>.</summary>
    [Between(0.1, 20)]
    public double EnglishWordsPerSecond { get; set; } = 2.976;

    /// <summary>Characters per second of the default Mandarin voice (espeak-ng cmn) at <see cref="CalibratedAtRate"/>.</summary>
    [Between(0.1, 20)]
    public double ChineseCharactersPerSecond { get; set; } = 2.573;

    /// <summary>The espeak-ng "-s" value the two rates above were measured at.</summary>
    [Between(80, 450)]
    public int CalibratedAtRate { get; set; } = 165;

    /// <summary>Most sentences a script may have, the caller's or a summary.</summary>
    [Between(1, 10_000)]
    public int MaxSentences { get; set; } = 200;

    /// <summary>Sentences of an article read for the summary; later ones are rarely news and make ranking slower.</summary>
    [Between(1, 10_000)]
    public int MaxArticleSentences { get; set; } = 400;
}
