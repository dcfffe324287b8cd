using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Pgvector;
using Pgvector.EntityFrameworkCore;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Core.Script;

namespace VidPress.Core.Library;

/// <summary>
/// Which assets a search may return: one tenant's, pickable at <see cref="Now"/> (<see cref="LicencePolicy"/>), and, when
/// <see cref="Licences"/> is given, only under those licences.
/// </summary>
public sealed record LibraryFilter(Guid TenantId, DateTimeOffset Now, IReadOnlyList<string>? Licences = null);

/// <summary>A keyframe near a query vector, with its shot and asset.</summary>
public sealed record KeyframeHit(
    Guid KeyframeId, Guid ShotId, Guid AssetId, AssetKind Kind, string Title, double ShotStart, double ShotEnd, double Time,
    double Distance, string? Credit, string? Licence, string? ThumbnailKey);

/// <summary>One result of a hybrid search, with what made it match.</summary>
public sealed record LibraryHit(
    ShotCandidate Shot, double Score, double? Similarity, int? VectorRank, int? TextRank, IReadOnlyList<string> MatchedTerms, string? ThumbnailKey);

/// <summary>
/// Finds library shots for a piece of text, always within one tenant's usable, unexpired library: by CLIP
/// similarity of the text's phrases and the shots' keyframes (pgvector HNSW, cosine), and by the full-text index of
/// titles, descriptions and tags (<see cref="TextTerms"/>): for a script sentence, the assets whose titles or tags
/// name its anchor points, weighed against similarity by <see cref="ShotRelevance"/>; for the API's library search,
/// the two rankings fused by reciprocal rank. <see cref="ShotSearchOptions.ImageSimilarityWeight"/> 0 leaves CLIP out.
/// </summary>
public sealed class ShotSearch(VidPressDbContext db, ClipModel clip, TimeProvider clock, IOptions<ShotSearchOptions> options, TenantLibrarySizes sizes)
{
    /// <summary>How many nearest keyframes to read per phrase before grouping them into shots.</summary>
    private const int KeyframesPerPhrase = 100;
    private const int TextHits = 50;

    /// <summary>Shots for a video: scored by CLIP similarity, which the timeline compares across sentences.</summary>
    public Task<IReadOnlyList<ShotCandidate>> SearchAsync(Guid tenantId, string text, int limit, CancellationToken cancellationToken) =>
        VectorSearchAsync(new LibraryFilter(tenantId, clock.GetUtcNow()), QueryPhrases.For(text, Languages.Detect(text)), limit, cancellationToken);

    /// <summary>
    /// Shots for a script sentence, best first by <see cref="ShotRelevance.Score"/>: the shots nearest to its phrases in
    /// CLIP's space (anchor points and keywords before its text), and every shot of an asset whose title or tags name
    /// one of its anchor points exactly, found through the full-text index; each says which anchor points it matched.
    /// </summary>
    public async Task<IReadOnlyList<ShotCandidate>> SearchAsync(Guid tenantId, ScriptSentence sentence, string language, int limit, CancellationToken cancellationToken)
    {
        var filter = new LibraryFilter(tenantId, clock.GetUtcNow());
        var phrases = QueryPhrases.For(sentence, language);
        // The editor's choice stands instead of the search, unless the asset can no longer be used (then searched as usual).
        if (sentence.PinnedAssetId is { } pinned && await ShotsOfAssetsAsync(filter, [pinned], phrases, cancellationToken) is { Count: > 0 } chosen)
            return chosen.Take(limit).Select(c => c with { Score = ShotRelevance.Pinned, MatchedPhrase = PinnedPhrase }).ToList();

        var weight = options.Value.ImageSimilarityWeight;
        var byLooks = await VectorSearchAsync(filter, phrases, limit, cancellationToken);
        var matches = await LabelMatchesAsync(filter, sentence.Anchors, cancellationToken);
        var byLabel = matches.Count == 0 ? [] : await ShotsOfAssetsAsync(filter, matches.Keys.ToList(), phrases, cancellationToken);
        // A shot found both ways keeps the label's entry: the same similarity, computed over all of its keyframes.
        var shots = byLabel.Concat(byLooks).DistinctBy(c => c.ShotId);
        return shots
            .Select(c =>
            {
                var match = matches.GetValueOrDefault(c.AssetId) ?? TermMatch.None;
                return c with
                {
                    Score = ShotRelevance.Score(c.Similarity ?? 0, match, weight),
                    MatchedTerms = match.Terms.Count > 0 ? match.Terms : null,
                };
            })
            .OrderByDescending(c => c.Score).ThenBy(c => c.ShotStart)
            .Take(limit)
            .ToList();
    }

    /// <summary>What <see cref="ShotCandidate.MatchedPhrase"/> says of a shot of an asset the caller pinned to the sentence.</summary>
    public const string PinnedPhrase = "(pinned by the editor)";

    /// <summary>How many assets a sentence's anchor points may bring in through the full-text index.</summary>
    private const int LabelHits = 50;

    /// <summary>
    /// The usable assets whose title or tags name one of <paramref name="anchors"/> exactly (<see cref="ShotRelevance.Match"/>),
    /// found among those the full-text index returns for the anchors' terms.
    /// </summary>
    private async Task<Dictionary<Guid, TermMatch>> LabelMatchesAsync(LibraryFilter filter, IReadOnlyList<AnchorPoint> anchors, CancellationToken cancellationToken)
    {
        if (TextTerms.OrQuery(ShotRelevance.QueryTerms(anchors)) is not { } tsquery) return [];
        var rows = await AllowedAssets(filter)
            .Where(a => a.SearchVector!.Matches(EF.Functions.ToTsQuery("simple", tsquery)))
            .OrderByDescending(a => a.SearchVector!.RankCoverDensity(EF.Functions.ToTsQuery("simple", tsquery)))
            .ThenBy(a => a.Id)
            .Take(LabelHits)
            .Select(a => new { a.Id, a.Title, a.Tags })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, Match: ShotRelevance.Match(anchors, r.Title, r.Tags)))
            .Where(r => r.Match.Share > 0)
            .ToDictionary(r => r.Id, r => r.Match);
    }

    /// <summary>
    /// Every usable shot of the given assets, each at its keyframe nearest to <paramref name="phrases"/> (the sharpest
    /// when CLIP is switched off or no phrase is given), with that similarity as <see cref="ShotCandidate.Score"/> and
    /// <see cref="ShotCandidate.Similarity"/>, most similar first.
    /// </summary>
    private async Task<IReadOnlyList<ShotCandidate>> ShotsOfAssetsAsync(LibraryFilter filter, IReadOnlyList<Guid> assetIds, IReadOnlyList<string> phrases, CancellationToken cancellationToken)
    {
        var keyframes = await Usable(filter).Where(k => assetIds.Contains(k.Shot!.AssetId))
            .Select(k => new
            {
                k.ShotId, k.Shot!.AssetId, k.Shot.Asset!.Kind, k.Shot.Asset.Title, k.Shot.StartSeconds, k.Shot.EndSeconds,
                k.TimeSeconds, k.Sharpness, k.Embedding, k.Shot.Asset.CreditLine, k.Shot.Asset.Licence
            })
            .ToListAsync(cancellationToken);
        if (keyframes.Count == 0) return [];
        var texts = options.Value.ImageSimilarityWeight > 0 && phrases.Count > 0 ? clip.EmbedTexts(phrases) : [];
        // Embeddings are unit vectors: the dot product is the cosine similarity.
        (double Similarity, int Phrase) Nearest(float[] image)
        {
            if (texts.Count == 0) return (0, -1);
            var best = (Similarity: double.MinValue, Phrase: -1);
            for (var p = 0; p < texts.Count; p++)
                if (texts[p].Zip(image).Sum(x => (double)x.First * x.Second) is var similarity && similarity > best.Similarity) best = (similarity, p);
            return best;
        }
        return keyframes
            .Select(k => (Keyframe: k, Nearest: Nearest(k.Embedding.ToArray())))
            .GroupBy(x => x.Keyframe.ShotId)
            .Select(g => g.MaxBy(x => (x.Nearest.Similarity, x.Keyframe.Sharpness)))
            .OrderByDescending(x => x.Nearest.Similarity).ThenBy(x => x.Keyframe.StartSeconds)
            .Select(x =>
            {
                var similarity = Math.Round(x.Nearest.Similarity, 6);
                return new ShotCandidate(x.Keyframe.ShotId, x.Keyframe.AssetId, x.Keyframe.Kind, x.Keyframe.Title, similarity, x.Keyframe.StartSeconds,
                    x.Keyframe.EndSeconds, x.Keyframe.TimeSeconds, x.Nearest.Phrase >= 0 ? phrases[x.Nearest.Phrase] : "", x.Keyframe.CreditLine,
                    x.Keyframe.Licence, Similarity: similarity);
            })
            .ToList();
    }

    public async Task<IReadOnlyList<ShotCandidate>> VectorSearchAsync(LibraryFilter filter, IReadOnlyList<string> phrases, int limit, CancellationToken cancellationToken)
    {
        var (ranked, _) = await VectorRankAsync(filter, phrases, cancellationToken);
        return ranked.Take(limit).ToList();
    }

    /// <summary>The library search of the API: vector and full-text rankings fused by RRF, each hit saying what matched.</summary>
    public async Task<IReadOnlyList<LibraryHit>> HybridSearchAsync(LibraryFilter filter, string text, int limit, CancellationToken cancellationToken)
    {
        var (vector, thumbnails) = await VectorRankAsync(filter, QueryPhrases.For(text, Languages.Detect(text)), cancellationToken);
        var terms = TextTerms.Tokenize(text).Distinct(StringComparer.Ordinal).ToList();
        var textAssets = await TextRankAsync(filter, terms, cancellationToken);

        // Text ranks assets; each stands for its best vector-ranked shot, or its first usable shot.
        var bestShotOfAsset = vector.GroupBy(c => c.AssetId).ToDictionary(g => g.Key, g => g.First());
        var missing = textAssets.Select(a => a.AssetId).Where(id => !bestShotOfAsset.ContainsKey(id)).ToList();
        foreach (var first in await FirstUsableShotsAsync(filter, missing, cancellationToken))
        {
            bestShotOfAsset[first.Candidate.AssetId] = first.Candidate;
            thumbnails[first.Candidate.ShotId] = first.ThumbnailKey;
        }
        var textShots = textAssets.Where(a => bestShotOfAsset.ContainsKey(a.AssetId)).Select(a => bestShotOfAsset[a.AssetId]).ToList();
        var matchedTerms = textAssets.ToDictionary(a => a.AssetId, a => (IReadOnlyList<string>)terms.Intersect(a.Terms.Split(' ')).ToList());

        var byShot = vector.Concat(textShots).GroupBy(c => c.ShotId).ToDictionary(g => g.Key, g => g.First());
        var fused = RankFusion.Fuse<Guid>([vector.Select(c => c.ShotId).ToList(), textShots.Select(c => c.ShotId).ToList()]);
        return fused.Take(limit).Select(f =>
        {
            var shot = byShot[f.Item];
            var inVector = f.Ranks[0] is not null;
            return new LibraryHit(
                inVector ? shot : shot with { MatchedPhrase = "" },
                Math.Round(f.Score, 6), inVector ? shot.Score : null, f.Ranks[0], f.Ranks[1],
                f.Ranks[1] is not null ? matchedTerms[shot.AssetId] : [], thumbnails.GetValueOrDefault(shot.ShotId));
        }).ToList();
    }

    private async Task<(List<ShotCandidate> Ranked, Dictionary<Guid, string?> Thumbnails)> VectorRankAsync(
        LibraryFilter filter, IReadOnlyList<string> phrases, CancellationToken cancellationToken)
    {
        var best = new Dictionary<Guid, ShotCandidate>();
        var thumbnails = new Dictionary<Guid, string?>();
        if (options.Value.ImageSimilarityWeight <= 0 || phrases.Count == 0) return ([], thumbnails);
        var embeddings = clip.EmbedTexts(phrases);
        for (var p = 0; p < phrases.Count; p++)
        {
            foreach (var k in await NearestKeyframesAsync(filter, new Vector(embeddings[p]), KeyframesPerPhrase, cancellationToken))
            {
                var score = Math.Round(1 - k.Distance, 6);
                thumbnails[k.ShotId] = k.ThumbnailKey;
                if (best.TryGetValue(k.ShotId, out var seen) && seen.Score >= score) continue;
                best[k.ShotId] = new ShotCandidate(k.ShotId, k.AssetId, k.Kind, k.Title, score, k.ShotStart, k.ShotEnd, k.Time, phrases[p], k.Credit, k.Licence, Similarity: score);
            }
        }
        return (best.Values.OrderByDescending(c => c.Score).ToList(), thumbnails);
    }

    /// <summary>
    /// The <paramref name="count"/> usable keyframes nearest to <paramref name="query"/> that pass the filter.
    /// A tenant with few keyframes (<see cref="ShotSearchOptions.ExactSearchMaxKeyframes"/>) is searched exactly: its
    /// rows come through the tenant index and every distance is computed, which is both exact and fast at that
    /// size, where the graph would have to skip the other tenants' neighbours. A larger tenant is searched through
    /// the HNSW index, which is searched before the filter applies, so a plain index scan returns fewer rows than
    /// asked when most neighbours belong to other tenants or expired assets; pgvector 0.8's iterative scan keeps
    /// searching until enough pass. relaxed_order may return rows slightly out of order: rows are sorted here.
    /// </summary>
    public async Task<IReadOnlyList<KeyframeHit>> NearestKeyframesAsync(LibraryFilter filter, Vector query, int count, CancellationToken cancellationToken)
    {
        var strategy = db.Database.CreateExecutionStrategy();
        if (await SmallTenantKeyframesAsync(filter.TenantId, cancellationToken) is { } tenantKeyframes)
        {
            var candidates = Math.Max(ExactCandidatesPerResult * count, ExactMinimumCandidates);
            return await strategy.ExecuteAsync(async ct =>
            {
                // Exact whenever `count` of the nearest candidates pass the asset conditions; else (most of the nearest
                // are expired or under other licences), and for a tenant with no more keyframes than that, all joined.
                var rows = tenantKeyframes > candidates ? await NearestCandidatesFilteredAsync(filter, query, count, candidates, ct) : [];
                return (IReadOnlyList<KeyframeHit>)(rows.Count == count ? rows : await NearestJoinedAsync(filter, query, count, ct));
            }, cancellationToken);
        }
        var settings = options.Value;
        var efSearch = Math.Clamp(Math.Max(settings.EfSearch, count), 1, 1000).ToString(CultureInfo.InvariantCulture);
        var maxScanTuples = Math.Max(1, settings.HnswMaxScanTuples).ToString(CultureInfo.InvariantCulture);
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            // set_config(..., true) is SET LOCAL: the settings end with this transaction and never leak into the pool.
            await db.Database.ExecuteSqlAsync(
                $"SELECT set_config('hnsw.ef_search', {efSearch}, true), set_config('hnsw.iterative_scan', 'relaxed_order', true), set_config('hnsw.max_scan_tuples', {maxScanTuples}, true)", ct);
            var rows = await FirstHitsAsync(Usable(filter).OrderBy(k => k.Embedding.CosineDistance(query)), query, count, ct);
            await transaction.CommitAsync(ct);
            return (IReadOnlyList<KeyframeHit>)rows.OrderBy(r => r.Distance).ToList();
        }, cancellationToken);
    }

    /// <summary>Candidates read per result on the exact path before the asset conditions apply.</summary>
    private const int ExactCandidatesPerResult = 4;
    private const int ExactMinimumCandidates = 40;

    /// <summary>
    /// The tenant's <paramref name="candidates"/> nearest usable keyframes, ranked through the tenant index alone, and
    /// of those the first <paramref name="count"/> whose assets pass the filter (fewer when not enough do). Every
    /// passing keyframe nearer than the last one returned is among the candidates, so a full result is exact.
    /// Ranking before joining spares PostgreSQL looking up every shot's keyframes one by one (a third faster at 10k).
    /// "+ 0" makes the sort key an expression the HNSW index cannot answer, so the planner reads the tenant's rows
    /// through the tenant index; the sort key is also the returned distance, computed once.
    /// </summary>
    private Task<List<KeyframeHit>> NearestCandidatesFilteredAsync(LibraryFilter filter, Vector query, int count, int candidates, CancellationToken cancellationToken)
    {
        var nearest = db.Keyframes.AsNoTracking()
            .Where(k => k.TenantId == filter.TenantId && k.Usable)
            .Select(k => new { k.Id, k.ShotId, k.TimeSeconds, Distance = k.Embedding.CosineDistance(query) + 0.0 })
            .OrderBy(k => k.Distance)
            .Take(candidates);
        return (
            from k in nearest
            join s in db.Shots.AsNoTracking() on k.ShotId equals s.Id
            join a in AllowedAssets(filter) on s.AssetId equals a.Id
            orderby k.Distance
            select new KeyframeHit(k.Id, k.ShotId, s.AssetId, a.Kind, a.Title, s.StartSeconds, s.EndSeconds, k.TimeSeconds, k.Distance, a.CreditLine, a.Licence, s.ThumbnailKey))
            .Take(count)
            .ToListAsync(cancellationToken);
    }

    /// <summary>
    /// The exact nearest keyframes of the filter's tenant over all its keyframes joined to their assets ("+ 0" as
    /// above). The tenant on the shot and asset too, although they always match the keyframe's: the planner then
    /// joins only this tenant's shots and assets instead of hashing every tenant's. Not on the graph path: the three
    /// correlated conditions make the planner underestimate the rows and skip the index.
    /// </summary>
    private Task<List<KeyframeHit>> NearestJoinedAsync(LibraryFilter filter, Vector query, int count, CancellationToken cancellationToken) =>
        FirstHitsAsync(Usable(filter)
            .Where(k => k.Shot!.TenantId == filter.TenantId && k.Shot.Asset!.TenantId == filter.TenantId)
            .OrderBy(k => k.Embedding.CosineDistance(query) + 0.0), query, count, cancellationToken);

    /// <summary>
    /// The first <paramref name="count"/> keyframes of <paramref name="ordered"/> as hits, read through their shot and
    /// asset. The distance is written as the exact path sorts by ("+ 0"), so there it is computed once; on the graph
    /// path, which sorts by the bare distance, it is the same value, computed per returned row either way.
    /// </summary>
    private static Task<List<KeyframeHit>> FirstHitsAsync(IQueryable<Keyframe> ordered, Vector query, int count, CancellationToken cancellationToken) =>
        ordered
            .Take(count)
            .Select(k => new KeyframeHit(k.Id, k.ShotId, k.Shot!.AssetId, k.Shot.Asset!.Kind, k.Shot.Asset.Title, k.Shot.StartSeconds, k.Shot.EndSeconds,
                k.TimeSeconds, k.Embedding.CosineDistance(query) + 0.0, k.Shot.Asset.CreditLine, k.Shot.Asset.Licence, k.Shot.ThumbnailKey))
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Whether the tenant owns at most <see cref="ShotSearchOptions.ExactSearchMaxKeyframes"/> keyframes (then it is
    /// searched exactly).
    /// </summary>
    internal async Task<bool> UsesExactSearchAsync(Guid tenantId, CancellationToken cancellationToken) =>
        await SmallTenantKeyframesAsync(tenantId, cancellationToken) is not null;

    /// <summary>
    /// The tenant's keyframe count when it is at most <see cref="ShotSearchOptions.ExactSearchMaxKeyframes"/>, null for a
    /// larger tenant. Counting stops one past the threshold, so it costs at most that many tenant-index entries, and
    /// the count serves every search of the process for a minute (<see cref="TenantLibrarySizes"/>).
    /// </summary>
    private async Task<int?> SmallTenantKeyframesAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var threshold = options.Value.ExactSearchMaxKeyframes;
        if (threshold <= 0) return null;
        if (sizes.TryGet(tenantId, threshold, out var known)) return known;
        var seen = await db.Keyframes.AsNoTracking().Where(k => k.TenantId == tenantId).Take(threshold + 1).CountAsync(cancellationToken);
        sizes.Remember(tenantId, seen, threshold + 1);
        return seen <= threshold ? seen : null;
    }

    /// <summary>The filter's conditions on assets. <see cref="Usable"/> states them again through the keyframe's navigations, where the planner needs them as join conditions.</summary>
    private IQueryable<Asset> AllowedAssets(LibraryFilter filter)
    {
        var assets = db.Assets.AsNoTracking().Where(a => a.TenantId == filter.TenantId).Where(LicencePolicy.Pickable(filter.Now));
        if (filter.Licences is { Count: > 0 } licences)
            assets = assets.Where(LicencePolicy.UnderLicences(licences));
        return assets;
    }

    private IQueryable<Keyframe> Usable(LibraryFilter filter)
    {
        var keyframes = db.Keyframes.AsNoTracking().Where(k => k.TenantId == filter.TenantId && k.Usable).Where(LicencePolicy.PickableKeyframe(filter.Now));
        if (filter.Licences is { Count: > 0 } licences)
            keyframes = keyframes.Where(LicencePolicy.KeyframeUnderLicences(licences));
        return keyframes;
    }

    private async Task<List<(Guid AssetId, string Terms)>> TextRankAsync(LibraryFilter filter, IReadOnlyList<string> terms, CancellationToken cancellationToken)
    {
        if (TextTerms.OrQuery(terms) is not { } tsquery) return [];
        var rows = await AllowedAssets(filter)
            .Where(a => a.SearchVector!.Matches(EF.Functions.ToTsQuery("simple", tsquery)))
            .OrderByDescending(a => a.SearchVector!.RankCoverDensity(EF.Functions.ToTsQuery("simple", tsquery)))
            .ThenBy(a => a.Id)
            .Take(TextHits)
            .Select(a => new { a.Id, a.SearchTerms })
            .ToListAsync(cancellationToken);
        return rows.Select(r => (r.Id, r.SearchTerms)).ToList();
    }

    private async Task<List<(ShotCandidate Candidate, string? ThumbnailKey)>> FirstUsableShotsAsync(
        LibraryFilter filter, IReadOnlyList<Guid> assetIds, CancellationToken cancellationToken)
    {
        if (assetIds.Count == 0) return [];
        var keyframes = await Usable(filter).Where(k => assetIds.Contains(k.Shot!.AssetId))
            .Select(k => new
            {
                k.ShotId, k.Shot!.AssetId, k.Shot.Asset!.Kind, k.Shot.Asset.Title, k.Shot.StartSeconds, k.Shot.EndSeconds,
                k.TimeSeconds, k.Sharpness, k.Shot.Asset.CreditLine, k.Shot.Asset.Licence, k.Shot.ThumbnailKey
            })
            .ToListAsync(cancellationToken);
        return keyframes.GroupBy(k => k.AssetId).Select(asset =>
        {
            var shot = asset.GroupBy(k => k.ShotId).OrderBy(s => s.First().StartSeconds).First();
            var k = shot.MaxBy(x => x.Sharpness)!;
            return (new ShotCandidate(k.ShotId, k.AssetId, k.Kind, k.Title, 0, k.StartSeconds, k.EndSeconds, k.TimeSeconds, "", k.CreditLine, k.Licence), k.ThumbnailKey);
        }).ToList();
    }
}
