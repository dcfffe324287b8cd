namespace VidPress.Core.Script;

/// <summary>
/// The narration script: the sentences that will be spoken, in order, with what the article is about
/// (<see cref="Tags"/>, <see cref="Topic"/>). Stored as a document on the video, so fields added later
/// read back with their defaults from older rows.
/// </summary>
public sealed record ScriptDocument(string Language, IReadOnlyList<ScriptSentence> Sentences)
{
    /// <summary>The article's people, places, organisations and keywords, most important first.</summary>
    public IReadOnlyList<ScriptTag> Tags { get; init; } = [];

    /// <summary>A newsroom desk (politics, economy, technology, …) or, when none fits, the article's top keyword.</summary>
    public string? Topic { get; init; }
}

public sealed record ScriptSentence(int Index, string Text)
{
    /// <summary>What a viewer should see on screen while this sentence is spoken, heaviest first.</summary>
    public IReadOnlyList<AnchorPoint> Anchors { get; init; } = [];

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>A library asset the caller chose for this sentence; the timeline shows it instead of searching.</summary>
    public Guid? PinnedAssetId { get; init; }
}

public enum AnchorKind { Person, Organisation, Place, Keyword }

/// <summary>A word or name worth showing while a sentence is spoken; <see cref="Weight"/> is in (0, 1].</summary>
public sealed record AnchorPoint(string Text, AnchorKind Kind, double Weight);

/// <summary>A tag of the whole article; <see cref="Weight"/> is in (0, 1], the strongest tag 1.</summary>
public sealed record ScriptTag(string Text, AnchorKind Kind, double Weight);

/// <summary>A sentence of a script the caller wrote: used as given, never summarised.</summary>
public sealed record CallerSentence(string Text, IReadOnlyList<string>? Keywords = null, Guid? AssetId = null);
