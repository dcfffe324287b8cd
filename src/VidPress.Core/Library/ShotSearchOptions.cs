namespace VidPress.Core.Library;

/// <summary>
/// How the keyframe index is searched (pgvector HNSW against exact search); bound from the "Library" section, whose
/// keys these have always been (<c>Library:EfSearch</c>, <c>Library:ExactSearchMaxKeyframes</c>, <c>Library:HnswMaxScanTuples</c>).
/// </summary>
public sealed class ShotSearchOptions
{
    public const string SectionName = "Library";

    /// <summary>HNSW candidate list size per query: recall against latency (see docs/benchmarks.md).</summary>
    [Between(1, 1000)]
    public int EfSearch { get; set; } = 200;
    /// <summary>
    /// A tenant with at most this many keyframes is searched exactly (every one of its keyframes compared, found
    /// through the tenant index) instead of through the HNSW graph, whose post-filtered search loses recall when
    /// the tenant owns a small share of the graph. 0 always uses the graph.
    /// </summary>
    [Between(0, 10_000_000)]
    public int ExactSearchMaxKeyframes { get; set; } = 10_000;
    /// <summary>How many graph tuples pgvector's iterative scan may visit before giving up (pgvector's default is 20,000).</summary>
    [Between(1, 100_000_000)]
    public int HnswMaxScanTuples { get; set; } = 40_000;
    /// <summary>
    /// How much CLIP similarity counts when a video's sentences look for shots (<see cref="ShotRelevance.Score"/>), and in
    /// the library search: 1 as measured, 0 switches the signal off (no text embedding, no vector search; shots are
    /// found only by the anchor points their titles and tags name, as for an image tower that cannot read the
    /// articles' language).
    /// </summary>
    [Between(0, 1)]
    public double ImageSimilarityWeight { get; set; } = 1;
}
