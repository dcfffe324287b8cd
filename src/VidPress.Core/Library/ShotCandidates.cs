namespace VidPress.Core.Library;

/// <summary>The shots retrieval found for each sentence, best first; persisted so a retried job reuses them.</summary>
public sealed record CandidatesDocument(IReadOnlyList<SentenceCandidates> Sentences);

public sealed record SentenceCandidates(int SentenceIndex, IReadOnlyList<ShotCandidate> Shots);

/// <summary>A library shot that matches a sentence; <see cref="BestTime"/> is its best-matching keyframe and
/// <see cref="MatchedPhrase"/> the part of the sentence it matched. <see cref="Credit"/> and <see cref="Licence"/> are
/// copied from the asset when it was found, so a video's credits survive a later edit or deletion of the asset.
/// <see cref="Quality"/> (0..1, <see cref="FrameQuality.Score"/> of the best keyframe) and <see cref="AspectRatio"/> (the
/// asset's width / height) are what retrieval knows of the picture; null in documents stored before they were recorded.
/// <see cref="Score"/> is <see cref="ShotRelevance.Score"/>: at most 1 (the weighted CLIP <see cref="Similarity"/>) for a
/// shot found by its picture alone, above 1 for one whose title or tags name the sentence's anchor points
/// <see cref="MatchedTerms"/> exactly, <see cref="ShotRelevance.Pinned"/> for a shot the editor pinned.</summary>
public sealed record ShotCandidate(
    Guid ShotId,
    Guid AssetId,
    AssetKind Kind,
    string Title,
    double Score,
    double ShotStart,
    double ShotEnd,
    double BestTime,
    string MatchedPhrase,
    string? Credit = null,
    string? Licence = null,
    double? Quality = null,
    double? AspectRatio = null,
    IReadOnlyList<string>? MatchedTerms = null,
    double? Similarity = null);
