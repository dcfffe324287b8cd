using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Script;

namespace VidPress.Core.Library;

/// <summary>The measures of one keyframe of a candidate shot, and the size of its asset.</summary>
internal sealed record KeyframePicture(double Time, FrameQuality Quality, int Width, int Height);

/// <summary>
/// The retrieval stage: the library's candidate shots for every sentence of a script (<see cref="ShotSearch"/>), each with
/// what ingest measured of its picture, so the timeline can weigh quality and keep a still's subject in view.
/// </summary>
public sealed class ShotRetrieval(ShotSearch search, VidPressDbContext db, IOptions<IngestOptions> options)
{
    public async Task<CandidatesDocument> FindAsync(Guid tenantId, ScriptDocument script, int perSentence, CancellationToken cancellationToken)
    {
        var found = new List<(int Index, IReadOnlyList<ShotCandidate> Shots)>();
        foreach (var sentence in script.Sentences)
            found.Add((sentence.Index, await search.SearchAsync(tenantId, sentence, script.Language, perSentence, cancellationToken)));
        var shotIds = found.SelectMany(f => f.Shots).Select(c => c.ShotId).Distinct().ToList();
        var pictures = await PicturesAsync(tenantId, shotIds, cancellationToken);
        var thresholds = options.Value.Quality;
        return new CandidatesDocument(found.Select(f => new SentenceCandidates(f.Index,
            f.Shots.Select(c => Describe(c, pictures.GetValueOrDefault(c.ShotId) ?? [], thresholds)).ToList())).ToList());
    }

    /// <summary>
    /// The candidate with its picture's quality (that of the keyframe nearest the one it matched by, which is the one the
    /// timeline shows longest) and its asset's shape; unchanged when nothing is known of it.
    /// </summary>
    internal static ShotCandidate Describe(ShotCandidate candidate, IReadOnlyList<KeyframePicture> keyframes, QualityThresholds thresholds)
    {
        if (keyframes.Count == 0) return candidate;
        var best = keyframes.MinBy(k => Math.Abs(k.Time - candidate.BestTime))!;
        return candidate with
        {
            Quality = best.Quality.Score(thresholds),
            AspectRatio = best.Width > 0 && best.Height > 0 ? Math.Round(best.Width / (double)best.Height, 4) : null,
        };
    }

    private async Task<Dictionary<Guid, List<KeyframePicture>>> PicturesAsync(Guid tenantId, List<Guid> shotIds, CancellationToken cancellationToken)
    {
        if (shotIds.Count == 0) return [];
        var rows = await db.Keyframes.AsNoTracking()
            .Where(k => k.TenantId == tenantId && shotIds.Contains(k.ShotId))
            .Select(k => new { k.ShotId, k.TimeSeconds, k.Sharpness, k.Brightness, k.Contrast, k.Shot!.Asset!.Width, k.Shot.Asset.Height })
            .ToListAsync(cancellationToken);
        return rows.GroupBy(r => r.ShotId).ToDictionary(g => g.Key,
            g => g.Select(r => new KeyframePicture(r.TimeSeconds, new FrameQuality(r.Sharpness, r.Brightness, r.Contrast), r.Width, r.Height)).ToList());
    }
}
