using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pgvector;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;

namespace VidPress.Core.Library;

public sealed class LibraryOptions
{
    /// <summary>A long shot gets a keyframe every this many seconds; a short one gets one in its middle.</summary>
    public double KeyframeIntervalSeconds { get; set; } = 2.0;
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
    /// <summary>Scene score (0–1) above which a frame always starts a new shot.</summary>
    public double SceneThreshold { get; set; } = 0.3;
    /// <summary>A lower score that still starts a shot when it is <see cref="ScenePeakRatio"/> times its neighbours' mean.</summary>
    public double ScenePeakMinScore { get; set; } = 0.08;
    public double ScenePeakRatio { get; set; } = 4;
    public double MinShotSeconds { get; set; } = 1.0;
    /// <summary>Keyframes decoded and embedded together: bounds memory (a 1080p frame is 6 MB) while batching CLIP.</summary>
    public int KeyframeBatchSize { get; set; } = 16;
    public int ThumbnailWidth { get; set; } = 320;
    public TimeSpan IngestToolTimeout { get; set; } = TimeSpan.FromMinutes(10);
    public QualityThresholds Quality { get; set; } = new();
    /// <summary>HNSW candidate list size per query: recall against latency (see docs/benchmarks.md).</summary>
    public int EfSearch { get; set; } = 100;
    /// <summary>
    /// A tenant with at most this many keyframes is searched exactly (every one of its keyframes compared, found
    /// through the tenant index) instead of through the HNSW graph, whose post-filtered search loses recall when
    /// the tenant owns a small share of the graph. 0 always uses the graph.
    /// </summary>
    public int ExactSearchMaxKeyframes { get; set; } = 25_000;
    /// <summary>How many graph tuples pgvector's iterative scan may visit before giving up (pgvector's default is 20,000).</summary>
    public int HnswMaxScanTuples { get; set; } = 40_000;
}

/// <summary>
/// Makes an uploaded asset searchable: shots from ffmpeg's scene scores, keyframes in each shot, each
/// keyframe's quality and CLIP embedding, and a thumbnail per shot. Re-running it replaces what an
/// interrupted run left.
/// </summary>
public sealed class LibraryIngest(
    VidPressDbContext db,
    IMediaStorage storage,
    ClipModel clip,
    FrameDecoder frames,
    SceneDetector scenes,
    ShotThumbnails thumbnails,
    IOptions<LibraryOptions> options,
    ILogger<LibraryIngest> logger)
{
    private readonly LibraryOptions _options = options.Value;

    public async Task IngestAsync(Guid assetId, CancellationToken cancellationToken)
    {
        var asset = await db.Assets.Include(a => a.Shots).SingleOrDefaultAsync(a => a.Id == assetId, cancellationToken);
        if (asset is null || asset.Status == AssetStatus.Ready) return;
        db.Shots.RemoveRange(asset.Shots);
        await storage.DeletePrefixAsync(StorageKeys.AssetShotsFolder(asset.TenantId, asset.Id), cancellationToken);

        var path = await storage.GetLocalPathAsync(asset.StorageKey, cancellationToken);
        var spans = asset.Kind == AssetKind.Image
            ? [new ShotSpan(0, 0)]
            : ShotBoundaries.Split(await scenes.ScoreAsync(path, cancellationToken), asset.DurationSeconds,
                _options.SceneThreshold, _options.MinShotSeconds, _options.ScenePeakMinScore, _options.ScenePeakRatio);

        var shots = spans.Select(span => new Shot
        {
            Id = Guid.NewGuid(), TenantId = asset.TenantId, AssetId = asset.Id,
            StartSeconds = Math.Round(span.Start, 3), EndSeconds = Math.Round(span.End, 3),
        }).ToList();
        var planned = spans.SelectMany((span, i) => ShotBoundaries.KeyframeTimes(span, _options.KeyframeIntervalSeconds).Select(t => (Shot: shots[i], Time: t))).ToList();

        // Per shot, the best picture so far (usable first, then sharpest) becomes its thumbnail.
        var best = new Dictionary<Guid, (RgbImage Picture, bool Usable, double Sharpness)>();
        foreach (var batch in planned.Chunk(Math.Max(1, _options.KeyframeBatchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var decoded = asset.Kind == AssetKind.Image
                ? [(batch[0], await frames.ReadImageAsync(path, cancellationToken))]
                : await DecodeAsync(path, batch, cancellationToken);
            var embeddings = clip.EmbedImages(decoded.Select(d => d.Picture).ToList());
            for (var i = 0; i < decoded.Count; i++)
            {
                var ((shot, time), picture) = decoded[i];
                var quality = FrameQuality.Measure(picture);
                var usable = quality.IsUsable(_options.Quality);
                shot.Keyframes.Add(new Keyframe
                {
                    Id = Guid.NewGuid(), TenantId = asset.TenantId, ShotId = shot.Id, TimeSeconds = time, Embedding = new Vector(embeddings[i]),
                    Sharpness = quality.Sharpness, Brightness = quality.Brightness, Contrast = quality.Contrast, Usable = usable,
                });
                if (!best.TryGetValue(shot.Id, out var current) || (usable, quality.Sharpness).CompareTo((current.Usable, current.Sharpness)) > 0)
                    best[shot.Id] = (picture, usable, quality.Sharpness);
            }
        }
        // A shot whose keyframe times fall past the last decodable frame has no keyframes and nothing to show.
        shots.RemoveAll(s => s.Keyframes.Count == 0);
        if (shots.Count == 0) throw new MediaRejectedException("No frame of the file could be decoded.");

        using (var scratch = storage.CreateScratch("thumbnails"))
        {
            var written = await thumbnails.WriteAsync(shots.Select(s => best[s.Id].Picture).ToList(), scratch.Path, cancellationToken);
            for (var i = 0; i < shots.Count; i++)
            {
                shots[i].ThumbnailKey = StorageKeys.ShotThumbnail(asset.TenantId, asset.Id, shots[i].Id);
                await storage.ImportFileAsync(shots[i].ThumbnailKey!, written[i], cancellationToken);
            }
        }

        db.Shots.AddRange(shots);
        asset.Status = AssetStatus.Ready;
        asset.Error = null;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Ingested asset {AssetId}: {Shots} shots, {Keyframes} keyframes ({Unusable} unusable)", asset.Id, shots.Count,
            shots.Sum(s => s.Keyframes.Count), shots.Sum(s => s.Keyframes.Count(k => !k.Usable)));
    }

    private async Task<List<((Shot Shot, double Time) Plan, RgbImage Picture)>> DecodeAsync(
        string path, (Shot Shot, double Time)[] batch, CancellationToken cancellationToken)
    {
        var decoded = await frames.ReadFramesAsync(path, batch.Select(b => TimeSpan.FromSeconds(b.Time)).ToList(), cancellationToken);
        var byTime = decoded.GroupBy(d => d.RequestedTime.TotalSeconds).ToDictionary(g => g.Key, g => g.First().Image);
        return batch.Where(b => byTime.ContainsKey(TimeSpan.FromSeconds(b.Time).TotalSeconds))
            .Select(b => (b, byTime[TimeSpan.FromSeconds(b.Time).TotalSeconds])).ToList();
    }

    public async Task MarkFailedAsync(Guid assetId, string error, CancellationToken cancellationToken)
    {
        await db.Assets.Where(a => a.Id == assetId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssetStatus.Failed).SetProperty(a => a.Error, error), cancellationToken);
    }
}
