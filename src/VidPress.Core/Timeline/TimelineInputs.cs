using VidPress.Core.Library;
using VidPress.Core.Script;

namespace VidPress.Core.Timeline;

/// <summary>
/// What the library knows about a shot beyond its CLIP score. <paramref name="SalientBox"/> is in 0..1 of
/// the source picture; <paramref name="AspectRatio"/> (width / height) lets it be mapped through the
/// crop that fills the output frame, and is taken to be the output's when unknown.
/// </summary>
public sealed record ShotDetails(double Quality = 1.0, NormalizedRect? SalientBox = null, double? AspectRatio = null);

/// <summary>
/// Everything the timeline can use beyond script, narration and candidates; all of it optional, so a
/// job that knows none of it gets a plain timeline.
/// </summary>
public sealed record TimelineExtras
{
    /// <summary>The article headline for the opening title; none when null.</summary>
    public string? ArticleTitle { get; init; }
    /// <summary>Anchor points per sentence index.</summary>
    public IReadOnlyDictionary<int, IReadOnlyList<AnchorPoint>> Anchors { get; init; } = new Dictionary<int, IReadOnlyList<AnchorPoint>>();
    /// <summary>Quality and salient areas per shot id.</summary>
    public IReadOnlyDictionary<Guid, ShotDetails> Shots { get; init; } = new Dictionary<Guid, ShotDetails>();
    /// <summary>The music bed; its beats are in video time (already offset to where the music starts).</summary>
    public MusicBed? Music { get; init; }

    public static readonly TimelineExtras None = new();

    /// <summary>
    /// What retrieval recorded of each candidate shot's picture (<see cref="ShotCandidate.Quality"/>, its asset's shape);
    /// shots it recorded nothing of (documents stored before) are left out and count as unknown. The library stores no
    /// salient box yet, so a still's Ken Burns path keeps its centre in view, mapped through the crop its shape needs.
    /// </summary>
    public static IReadOnlyDictionary<Guid, ShotDetails> ShotsFrom(CandidatesDocument candidates)
    {
        var shots = new Dictionary<Guid, ShotDetails>();
        foreach (var shot in candidates.Sentences.SelectMany(s => s.Shots))
            if ((shot.Quality is not null || shot.AspectRatio is not null) && !shots.ContainsKey(shot.ShotId))
                shots[shot.ShotId] = new ShotDetails(shot.Quality ?? 1.0, SalientBox: null, shot.AspectRatio);
        return shots;
    }

    public IReadOnlyList<AnchorPoint> AnchorsOf(int sentenceIndex) => Anchors.TryGetValue(sentenceIndex, out var a) ? a : [];
    public ShotDetails DetailsOf(Guid shotId) => Shots.TryGetValue(shotId, out var d) ? d : Default;

    private static readonly ShotDetails Default = new();
}
