using System.Text.Json.Serialization;
using VidPress.Core.Script;

namespace VidPress.Core.Timeline;

/// <summary>
/// The edit decision list of a video: what is on screen when, and why. The API returns it, accepts it
/// back edited, and the renderer draws exactly what it says, so it carries everything a re-render needs.
/// Times are seconds from the start of the video; the narration is never moved, only picture cuts are.
/// Version 1 documents (clips and subtitles only) still read: every field added in version 2 has a default.
/// </summary>
public sealed record TimelineDocument
{
    /// <summary>2 since sentences, layers, score breakdowns, sub-clips and beat-synced cuts; 1 before.</summary>
    public int Version { get; init; } = 2;
    /// <summary>0 as built by the service; each accepted edit (PUT /videos/{id}/timeline) adds one (v2).</summary>
    public int Revision { get; init; }
    public required string AspectRatio { get; init; }
    public required string Resolution { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public int FrameRate { get; init; } = 30;
    public double DurationSeconds { get; init; }
    public required string Language { get; init; }
    /// <summary>Storage key of the narration audio, which plays from time 0 unchanged; always the video's own (an edit cannot change it).</summary>
    public required string NarrationKey { get; init; }
    /// <summary>The picture track: clips in order, back to back, covering the whole video.</summary>
    public required IReadOnlyList<TimelineClip> Clips { get; init; }
    public required IReadOnlyList<SubtitleCue> Subtitles { get; init; }

    /// <summary>The article's headline, shown by the opening title overlay (v2).</summary>
    public string? Title { get; init; }
    /// <summary>Where each narrated sentence is spoken and its anchor points; copied from the narration, never snapped (v2).</summary>
    public IReadOnlyList<TimelineSentence> Sentences { get; init; } = [];
    /// <summary>Text drawn over the picture: the opening title, lower thirds, AI-generated labels (v2).</summary>
    public IReadOnlyList<TextOverlay> Overlays { get; init; } = [];
    /// <summary>The music bed under the narration and the beats the cuts were snapped to; null when there is none (v2).</summary>
    public MusicBed? Music { get; init; }
    /// <summary>How the shots were chosen: the objective reached and whether it is proven optimal (v2).</summary>
    public SelectionSummary? Selection { get; init; }
    /// <summary>Length of every crossfade, in seconds (v2).</summary>
    public double CrossfadeSeconds { get; init; } = 0.5;
}

[JsonConverter(typeof(JsonStringEnumConverter<ClipKind>))]
public enum ClipKind
{
    VideoShot,
    Still,
    TitleCard,
    /// <summary>An AI-generated still standing in for a library shot; drawn like a <see cref="Still"/> (v2).</summary>
    GeneratedStill,
}

[JsonConverter(typeof(JsonStringEnumConverter<Transition>))]
public enum Transition { Cut, Crossfade }

/// <summary>One stretch of picture under one sentence (or one part of a long sentence).</summary>
public sealed record TimelineClip
{
    public int SentenceIndex { get; init; }
    /// <summary>Which part of its sentence this clip is, from 0; a sentence longer than the longest clip gets several (v2).</summary>
    public int Part { get; init; }
    public required string Text { get; init; }
    /// <summary>Where the picture cuts in, on a frame edge; may sit on a music beat rather than in a pause.</summary>
    public double Start { get; init; }
    public double End { get; init; }
    public ClipKind Kind { get; init; }
    public Guid? ShotId { get; init; }
    public Guid? AssetId { get; init; }
    public string? AssetTitle { get; init; }
    /// <summary>Where in the source asset the clip starts (video shots).</summary>
    public double SourceStart { get; init; }
    /// <summary>Where the chosen segment of the source ends (video shots); the picture holds its last frame after it (v2).</summary>
    public double SourceEnd { get; init; }
    /// <summary>
    /// How relevant retrieval found the shot to the sentence (<c>Library/ShotRelevance</c>): the CLIP similarity, above 1
    /// when the asset's title or tags name the sentence's anchor points; 0 for title cards.
    /// </summary>
    public double Score { get; init; }
    /// <summary>The part of the sentence the shot matched.</summary>
    public string? MatchedPhrase { get; init; }
    /// <summary>The sentence's anchor points the asset's title or tags name exactly; null when it was found by its picture alone.</summary>
    public IReadOnlyList<string>? MatchedTerms { get; init; }
    /// <summary>Why this shot won: each term of the score and their weighted total; null for title cards (v2).</summary>
    public ClipScores? Scores { get; init; }
    public KenBurns? Motion { get; init; }
    /// <summary>The crops the Ken Burns move starts and ends on, both containing the salient area (v2).</summary>
    public KenBurnsCrops? Crops { get; init; }
    /// <summary>The words drawn on a title card; also the prompt for a generated still.</summary>
    public string? CardText { get; init; }
    /// <summary>True when no library shot was good enough and this clip is a title card or generated still (v2).</summary>
    public bool Fallback { get; init; }
    /// <summary>True when the picture is AI-generated; the renderer labels it on screen (v2).</summary>
    public bool Generated { get; init; }
    /// <summary>Why the still asked for this fallback clip could not be generated; the clip stays a title card (v2).</summary>
    public string? GenerationError { get; init; }
    /// <summary>How this clip comes in from the one before: a cut, or a crossfade centred on <see cref="Start"/> (v2).</summary>
    public Transition TransitionIn { get; init; } = Transition.Cut;
    [JsonIgnore] public double Duration => End - Start;
}

/// <summary>
/// The terms a (sentence part, shot segment) pair is scored on, each in its own unit, and
/// <see cref="Total"/> = Σ weight × term, the number the optimiser maximised.
/// </summary>
/// <param name="Relevance">CLIP cosine of the sentence and the shot, lowered when the segment misses the best keyframe.</param>
/// <param name="Anchor">Share of the sentence's anchor points found in the shot's matched phrase or title, 0..1.</param>
/// <param name="Quality">Visual quality of the shot, 0..1 (1 when unknown).</param>
/// <param name="DurationFit">1 when the segment fills the clip; less when a shot would freeze or a still would linger.</param>
/// <param name="Motion">1 for video, lower for a still animated by Ken Burns.</param>
/// <param name="Total">The weighted sum.</param>
public sealed record ClipScores(double Relevance, double Anchor, double Quality, double DurationFit, double Motion, double Total);

/// <summary>A slow zoom and pan over a still: zoom factors and the centre of the view (0..1 of the frame).</summary>
public sealed record KenBurns(double StartZoom, double EndZoom, double StartCenterX, double StartCenterY, double EndCenterX, double EndCenterY);

/// <summary>A rectangle in 0..1 of the picture after it has been cropped to fill the output frame.</summary>
public sealed record NormalizedRect(double X, double Y, double Width, double Height)
{
    public static readonly NormalizedRect Full = new(0, 0, 1, 1);
    [JsonIgnore] public double Right => X + Width;
    [JsonIgnore] public double Bottom => Y + Height;

    public bool Contains(NormalizedRect other, double tolerance = 1e-9) =>
        other.X >= X - tolerance && other.Y >= Y - tolerance && other.Right <= Right + tolerance && other.Bottom <= Bottom + tolerance;
}

/// <summary>The first and last view of a Ken Burns move, and the salient area both keep in frame.</summary>
public sealed record KenBurnsCrops(NormalizedRect Start, NormalizedRect End, NormalizedRect Salient);

public sealed record SubtitleCue(double Start, double End, string Text);

/// <summary>A narrated sentence's span, as measured in the narration audio, and its anchor points.</summary>
public sealed record TimelineSentence(int Index, string Text, double Start, double End, IReadOnlyList<AnchorPoint> Anchors);

[JsonConverter(typeof(JsonStringEnumConverter<OverlayKind>))]
public enum OverlayKind { OpeningTitle, LowerThird, GeneratedLabel }

/// <summary>
/// Text laid over the picture, independent of the cuts. The opening title is overlaid on the first
/// seconds rather than put before them, so the narration still starts at 0.
/// </summary>
/// <param name="Subtitle">Second line, e.g. the anchor kind under a lower-third name.</param>
public sealed record TextOverlay(OverlayKind Kind, double Start, double End, string Text, string? Subtitle = null);

/// <summary>
/// The music under the narration: the tenant's music track, its storage key, tempo and the beats (seconds in the video)
/// cuts may snap to. A timeline edit names the track by <see cref="Id"/> alone; the service fills in the rest from the
/// tenant's library and never takes a key from a client.
/// </summary>
public sealed record MusicBed(string TrackKey, double TempoBpm, IReadOnlyList<double> Beats)
{
    /// <summary>The music track (GET /library/music); null only in documents stored before ids were recorded, which name it by key.</summary>
    public Guid? Id { get; init; }

    /// <summary>The bed the library chose.</summary>
    public static MusicBed From(Library.MusicChoice choice) => new(choice.TrackKey, choice.TempoBpm, choice.Beats) { Id = choice.TrackId };
}

/// <summary>The result of shot selection: the total score, and whether the search proved it optimal (it gives up after a node budget).</summary>
public sealed record SelectionSummary(double TotalScore, bool Optimal, int NodesExplored, ScoreWeights Weights);
