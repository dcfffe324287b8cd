using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Pgvector;
using VidPress.Core.Data;
using VidPress.Core.Embeddings;
using VidPress.Core.Media;
using VidPress.Core.Telemetry;

namespace VidPress.Core.Library;

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
    IOptions<IngestOptions> options,
    ILogger<LibraryIngest> logger)
{
    private readonly IngestOptions _options = options.Value;

    public async Task IngestAsync(Guid assetId, CancellationToken cancellationToken)
    {
        var asset = await db.Assets.Include(a => a.Shots).SingleOrDefaultAsync(a => a.Id == assetId, cancellationToken);
        if (asset is null || asset.Status == AssetStatus.Ready) return;
        db.Shots.RemoveRange(asset.Shots);
        await storage.DeletePrefixAsync(StorageKeys.AssetShotsFolder(asset.TenantId, asset.Id), cancellationToken);

        var started = Stopwatch.GetTimestamp();
        var path = await storage.GetLocalPathAsync(asset.StorageKey, cancellationToken);
        // Per-stage wall time, logged with the result: what an operator needs to see where ingest time goes.
        var stage = Stopwatch.StartNew();
        // Videos are decoded once: the scene pass also writes candidate keyframes here, chosen from once the cuts are known.
        using var candidatesFolder = storage.CreateScratch("keyframes");
        SceneScan? scan = null;
        IReadOnlyList<ShotSpan> spans;
        ShotSplit? split = null;
        if (asset.Kind == AssetKind.Image) spans = [new ShotSpan(0, 0)];
        else
        {
            scan = await scenes.ScanAsync(path, candidatesFolder.Path, asset.DurationSeconds, asset.Orientation, cancellationToken);
            split = ShotBoundaries.Detect(scan.Scores, scan.Frames, asset.DurationSeconds,
                _options.SceneThreshold, _options.MinShotSeconds, _options.ScenePeakMinScore, _options.ScenePeakRatio, _options.GradualMinChange);
            spans = split.Shots;
        }
        var scenesTime = stage.Elapsed;
        TimeSpan decodeTime = default, clipTime = default;

        var shots = spans.Select(span => new Shot
        {
            Id = Guid.NewGuid(), TenantId = asset.TenantId, AssetId = asset.Id,
            StartSeconds = Math.Round(span.Start, 3), EndSeconds = Math.Round(span.End, 3),
        }).ToList();
        // A picture's one keyframe is its only frame; a video's are candidates of the scene pass, each inside its shot.
        var candidateTimes = scan?.Candidates.Select(c => c.Time).ToList() ?? [];
        var planned = scan is null
            ? [(Shot: shots[0], Time: 0.0, Candidate: (string?)null)]
            : spans.SelectMany((span, i) => ShotBoundaries.PickCandidates(candidateTimes, span, _options.KeyframeIntervalSeconds, i == spans.Count - 1, split)
                .Select(c => (Shot: shots[i], Time: Math.Round(scan.Candidates[c].Time, 3), Candidate: (string?)scan.Candidates[c].Path))).ToList();

        // Per shot, the best keyframe so far (usable first, then sharpest) becomes its thumbnail. For a video only its
        // candidate JPEG is kept, not its pixels: memory stays one batch of pictures however many shots there are.
        // A picture's one keyframe is its only frame, kept as decoded.
        var best = new Dictionary<Guid, (string? Candidate, bool Usable, double Sharpness)>();
        RgbImage? still = null;
        foreach (var batch in planned.Chunk(Math.Max(1, _options.KeyframeBatchSize)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            stage.Restart();
            var pictures = scan is null
                ? [await frames.ReadImageAsync(path, asset.Orientation, cancellationToken)]
                : await frames.ReadJpegsAsync(batch.Select(b => b.Candidate!).ToList(), cancellationToken);
            decodeTime += stage.Elapsed;
            stage.Restart();
            var embeddings = clip.EmbedImages(pictures);
            clipTime += stage.Elapsed;
            for (var i = 0; i < batch.Length; i++)
            {
                var (shot, time, candidate) = batch[i];
                var picture = pictures[i];
                var quality = FrameQuality.Measure(picture);
                var usable = quality.IsUsable(_options.Quality);
                shot.Keyframes.Add(new Keyframe
                {
                    Id = Guid.NewGuid(), TenantId = asset.TenantId, ShotId = shot.Id, TimeSeconds = time, Embedding = new Vector(embeddings[i]),
                    Sharpness = quality.Sharpness, Brightness = quality.Brightness, Contrast = quality.Contrast, Usable = usable,
                });
                if (!best.TryGetValue(shot.Id, out var current) || (usable, quality.Sharpness).CompareTo((current.Usable, current.Sharpness)) > 0)
                    best[shot.Id] = (candidate, usable, quality.Sharpness);
                if (candidate is null) still = picture;
            }
        }
        // A shot without a decoded frame inside it (past the last decodable frame) has no keyframes and nothing to show.
        shots.RemoveAll(s => s.Keyframes.Count == 0);
        if (shots.Count == 0) throw new MediaRejectedException("No frame of the file could be decoded.");

        stage.Restart();
        using (var scratch = storage.CreateScratch("thumbnails"))
        {
            var written = scan is null
                ? [await thumbnails.WriteAsync(still!, scratch.Path, cancellationToken)]
                : await thumbnails.WriteFromJpegsAsync(shots.Select(s => best[s.Id].Candidate!).ToList(), scratch.Path, cancellationToken);
            for (var i = 0; i < shots.Count; i++)
            {
                shots[i].ThumbnailKey = StorageKeys.ShotThumbnail(asset.TenantId, asset.Id, shots[i].Id);
                await storage.ImportFileAsync(shots[i].ThumbnailKey!, written[i], cancellationToken);
            }
        }

        var thumbnailTime = stage.Elapsed;
        stage.Restart();
        db.Shots.AddRange(shots);
        asset.Status = AssetStatus.Ready;
        asset.Error = null;
        asset.IngestSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException) when (!cancellationToken.IsCancellationRequested)
        {
            if (await db.Assets.AsNoTracking().AnyAsync(a => a.Id == asset.Id, CancellationToken.None)) throw;
            // Deleted while it was ingested: the delete removed the asset's folder, but the thumbnails written
            // since would stay behind with no row. Nothing is left to ingest.
            await storage.DeletePrefixAsync(StorageKeys.AssetFolder(asset.TenantId, asset.Id), CancellationToken.None);
            logger.LogInformation("Asset {AssetId} was deleted during its ingest; its files are removed", asset.Id);
            return;
        }
        ServiceMetrics.RecordIngest(asset.Kind.ToString().ToLowerInvariant(), asset.SizeBytes, asset.DurationSeconds, Stopwatch.GetElapsedTime(started));
        logger.LogInformation(
            "Ingested asset {AssetId}: {Shots} shots, {Keyframes} keyframes ({Unusable} unusable); scenes {ScenesMs:0} ms, keyframe decode {DecodeMs:0} ms, " +
            "CLIP {ClipMs:0} ms, thumbnails {ThumbnailsMs:0} ms, rows {SaveMs:0} ms",
            asset.Id, shots.Count, shots.Sum(s => s.Keyframes.Count), shots.Sum(s => s.Keyframes.Count(k => !k.Usable)),
            scenesTime.TotalMilliseconds, decodeTime.TotalMilliseconds, clipTime.TotalMilliseconds, thumbnailTime.TotalMilliseconds, stage.Elapsed.TotalMilliseconds);
    }

    public async Task MarkFailedAsync(Guid assetId, string error, CancellationToken cancellationToken)
    {
        await db.Assets.Where(a => a.Id == assetId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssetStatus.Failed).SetProperty(a => a.Error, error), cancellationToken);
    }
}
