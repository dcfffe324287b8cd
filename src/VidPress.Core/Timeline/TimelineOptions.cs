namespace VidPress.Core.Timeline;

/// <summary>How the picture is laid under the narration; bound from the "Timeline" section.</summary>
public sealed class TimelineOptions
{
    public const string SectionName = "Timeline";

    [Between(1, 120)]
    public int FrameRate { get; set; } = 30;
    /// <summary>
    /// The fallback threshold: a shot whose CLIP similarity is below it is not offered, so a sentence
    /// whose best candidate is below it gets a title card (or, where generation is on, a generated still).
    /// </summary>
    [Between(-1, 1)]
    public double MinimumShotScore { get; set; } = 0.0;
    /// <summary>Longest subtitle line of Latin text, in characters (burned in and in the SRT/WebVTT files).</summary>
    [Between(10, 200)]
    public int EnglishCharactersPerLine { get; set; } = SubtitleLines.DefaultLatinCharacters;
    /// <summary>Longest subtitle line holding CJK text, in full-width characters (a Latin letter counts half).</summary>
    [Between(4, 100)]
    public int ChineseCharactersPerLine { get; set; } = SubtitleLines.DefaultCjkCharacters;
    [Between(1, 4)]
    public int LinesPerCue { get; set; } = 2;
    /// <summary>A phrase shorter than this many characters joins the next one, so no cue flashes by.</summary>
    [Between(0, 200)]
    public int MinimumPhraseCharacters { get; set; } = 10;
    /// <summary>A sentence spoken for longer than this is split into parts that can take different shots.</summary>
    [Between(0.5, 600)]
    public double MaxClipSeconds { get; set; } = 6.0;
    /// <summary>What a title card adds to the total when the optimiser must choose one over a shot.</summary>
    [Between(-10, 10)]
    public double TitleCardScore { get; set; } = 0.0;
    /// <summary>Relevance kept by a segment of a long shot that misses the keyframe CLIP matched.</summary>
    [Between(0, 1)]
    public double OffKeyframeRelevance { get; set; } = 0.85;
    /// <summary>How long a still holds attention; longer clips get a lower duration fit.</summary>
    [Between(0.1, 600)]
    public double StillComfortSeconds { get; set; } = 5.0;
    /// <summary>Motion term of a still (Ken Burns) against 1 for video.</summary>
    [Between(0, 1)]
    public double StillMotion { get; set; } = 0.5;
    public ScoreWeights Weights { get; set; } = new();
    /// <summary>The search stops, keeping its best timeline and saying it is not proven optimal, after this many nodes.</summary>
    [AtLeast(1)]
    public int MaxSearchNodes { get; set; } = 20_000;
    /// <summary>How far a cut may move to land on a music beat.</summary>
    [Between(0, 2)]
    public double BeatSnapSeconds { get; set; } = 0.150;
    [Between(1, 4)]
    public double KenBurnsZoom { get; set; } = 1.15;
    [Between(0, 60)]
    public double OpeningTitleSeconds { get; set; } = 2.0;
    [Between(0, 60)]
    public double LowerThirdSeconds { get; set; } = 4.0;
    /// <summary>A lower third shorter than this (squeezed by the opening title) is left out.</summary>
    [Between(0, 60)]
    public double MinimumLowerThirdSeconds { get; set; } = 1.0;
    /// <summary>How clips come in after the first: cuts, or crossfades of <see cref="CrossfadeSeconds"/>.</summary>
    public Transition Transition { get; set; } = Transition.Cut;
    [Between(0, 5)]
    public double CrossfadeSeconds { get; set; } = 0.5;
}

/// <summary>How much each term of a clip's score counts; the defaults make CLIP relevance dominate.</summary>
public sealed class ScoreWeights
{
    [Between(0, 10)]
    public double Relevance { get; set; } = 1.0;
    [Between(0, 10)]
    public double Anchor { get; set; } = 0.3;
    [Between(0, 10)]
    public double Quality { get; set; } = 0.1;
    [Between(0, 10)]
    public double DurationFit { get; set; } = 0.2;
    [Between(0, 10)]
    public double Motion { get; set; } = 0.05;
}
