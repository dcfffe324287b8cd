using Microsoft.EntityFrameworkCore;
using Pgvector;
using Pgvector.EntityFrameworkCore;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Core.Script;

namespace VidPress.Core.Library;

/// <summary>
/// Finds library shots for a piece of text by CLIP similarity of the text's phrases and the shots'
/// keyframes (pgvector, HNSW cosine index), always within one tenant's library.
/// </summary>
public sealed class ShotSearch(VidPressDbContext db, ClipModel clip)
{
    /// <summary>How many nearest keyframes to read per phrase before grouping them into shots.</summary>
    private const int KeyframesPerPhrase = 100;

    public Task<IReadOnlyList<ShotCandidate>> SearchAsync(Guid tenantId, string text, int limit, CancellationToken cancellationToken) =>
        SearchAsync(tenantId, QueryPhrases.For(text, Languages.Detect(text)), limit, cancellationToken);

    /// <summary>Searches by the sentence's anchor points and keywords before its text.</summary>
    public Task<IReadOnlyList<ShotCandidate>> SearchAsync(Guid tenantId, ScriptSentence sentence, string language, int limit, CancellationToken cancellationToken) =>
        SearchAsync(tenantId, QueryPhrases.For(sentence, language), limit, cancellationToken);

    private async Task<IReadOnlyList<ShotCandidate>> SearchAsync(Guid tenantId, IReadOnlyList<string> phrases, int limit, CancellationToken cancellationToken)
    {
        var embeddings = clip.EmbedTexts(phrases);
        var best = new Dictionary<Guid, ShotCandidate>();
        for (var p = 0; p < phrases.Count; p++)
        {
            var query = new Vector(embeddings[p]);
            var nearest = await db.Keyframes
                .Where(k => k.TenantId == tenantId && k.Shot!.Asset!.Status == AssetStatus.Ready)
                .OrderBy(k => k.Embedding.CosineDistance(query))
                .Take(KeyframesPerPhrase)
                .Select(k => new
                {
                    k.ShotId,
                    k.Shot!.AssetId,
                    k.Shot.Asset!.Kind,
                    k.Shot.Asset.Title,
                    k.Shot.StartSeconds,
                    k.Shot.EndSeconds,
                    k.TimeSeconds,
                    Distance = k.Embedding.CosineDistance(query),
                })
                .ToListAsync(cancellationToken);
            foreach (var k in nearest)
            {
                var score = Math.Round(1 - k.Distance, 6);
                if (best.TryGetValue(k.ShotId, out var seen) && seen.Score >= score) continue;
                best[k.ShotId] = new ShotCandidate(k.ShotId, k.AssetId, k.Kind, k.Title, score, k.StartSeconds, k.EndSeconds, k.TimeSeconds, phrases[p]);
            }
        }
        return best.Values.OrderByDescending(c => c.Score).Take(limit).ToList();
    }
}
