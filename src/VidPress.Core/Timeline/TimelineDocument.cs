using System.Text.Json.Serialization;

namespace VidPress.Core.Timeline;

/// <summary>
/// The edit decision list of a video, version 1: what is on screen when, and why. The API returns it,
/// and the renderer draws exactly what it says. Times are seconds from the start of the video.
/// </summary>
public sealed record TimelineDocument
{
    public int Version { get; init; } = 1;
    public required string AspectRatio { get; init; }
    public required string Resolution { get; init; }
    public int Width { get; init; }
    public int Height { get; init; }
    public int FrameRate { get; init; } = 30;
    public double DurationSeconds { get; init; }
    public required string Language { get; init; }
    public required string NarrationKey { get; init; }
    public required IReadOnlyList<TimelineClip> Clips { get; init; }
    public required IReadOnlyList<SubtitleCue> Subtitles { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<ClipKind>))]
public enum ClipKind { VideoShot, Still, TitleCard }

/// <summary>One stretch of picture under one sentence.</summary>
public sealed record TimelineClip
{
    public int SentenceIndex { get; init; }
    public required string Text { get; init; }
    public double Start { get; init; }
    public double End { get; init; }
    public ClipKind Kind { get; init; }
    public Guid? ShotId { get; init; }
    public Guid? AssetId { get; init; }
    public string? AssetTitle { get; init; }
    /// <summary>Where in the source asset the clip starts (video shots).</summary>
    public double SourceStart { get; init; }
    /// <summary>CLIP similarity of the sentence and the shot; 0 for title cards.</summary>
    public double Score { get; init; }
    /// <summary>The part of the sentence the shot matched.</summary>
    public string? MatchedPhrase { get; init; }
    public KenBurns? Motion { get; init; }
    /// <summary>The words drawn on a title card.</summary>
    public string? CardText { get; init; }
    [JsonIgnore] public double Duration => End - Start;
}

/// <summary>A slow zoom and pan over a still: zoom factors and the centre of the view (0..1 of the frame).</summary>
public sealed record KenBurns(double StartZoom, double EndZoom, double StartCenterX, double StartCenterY, double EndCenterX, double EndCenterY);

public sealed record SubtitleCue(double Start, double End, string Text);
