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
    public double KeyframeIntervalSeconds { get; set; } = 2.0;
    public long MaxUploadBytes { get; set; } = 2L * 1024 * 1024 * 1024;
}

/// <summary>
/// Makes an uploaded asset searchable: its shots, a keyframe about every two seconds, and each
/// keyframe's CLIP embedding. Re-running it replaces what an interrupted run left.
/// </summary>
public sealed class LibraryIngest(
    VidPressDbContext db,
    IMediaStorage storage,
    ClipModel clip,
    FrameDecoder frames,
    IOptions<LibraryOptions> options,
    ILogger<LibraryIngest> logger)
{
    private readonly LibraryOptions _options = options.Value;

    public async Task IngestAsync(Guid assetId, CancellationToken cancellationToken)
    {
        var asset = await db.Assets.Include(a => a.Shots).SingleOrDefaultAsync(a => a.Id == assetId, cancellationToken);
        if (asset is null || asset.Status == AssetStatus.Ready) return;
        db.Shots.RemoveRange(asset.Shots);

        var path = await storage.GetLocalPathAsync(asset.StorageKey, cancellationToken);
        var shot = new Shot { Id = Guid.NewGuid(), TenantId = asset.TenantId, AssetId = asset.Id, StartSeconds = 0, EndSeconds = asset.DurationSeconds };
        var times = KeyframeTimes(asset.Kind == AssetKind.Image ? 0 : asset.DurationSeconds, _options.KeyframeIntervalSeconds);
        IReadOnlyList<RgbImage> pictures = asset.Kind == AssetKind.Image
            ? [await frames.ReadImageAsync(path, cancellationToken)]
            : (await frames.ReadFramesAsync(path, times.Select(TimeSpan.FromSeconds).ToList(), cancellationToken)).Select(f => f.Image).ToList();
        var embeddings = clip.EmbedImages(pictures);
        for (var i = 0; i < embeddings.Count; i++)
            shot.Keyframes.Add(new Keyframe { Id = Guid.NewGuid(), TenantId = asset.TenantId, ShotId = shot.Id, TimeSeconds = times[i], Embedding = new Vector(embeddings[i]) });

        db.Shots.Add(shot);
        asset.Status = AssetStatus.Ready;
        asset.Error = null;
        await db.SaveChangesAsync(cancellationToken);
        logger.LogInformation("Ingested asset {AssetId}: {Keyframes} keyframes", asset.Id, shot.Keyframes.Count);
    }

    public async Task MarkFailedAsync(Guid assetId, string error, CancellationToken cancellationToken)
    {
        await db.Assets.Where(a => a.Id == assetId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.Status, AssetStatus.Failed).SetProperty(a => a.Error, error), cancellationToken);
    }

    /// <summary>The middle of every interval-long window; a still or a very short clip gets one keyframe.</summary>
    internal static IReadOnlyList<double> KeyframeTimes(double duration, double interval)
    {
        if (duration <= interval) return [Math.Round(duration / 2, 3)];
        var count = (int)Math.Floor(duration / interval);
        var slack = (duration - count * interval) / 2;
        return Enumerable.Range(0, count).Select(i => Math.Round(slack + interval * (i + 0.5), 3)).ToList();
    }
}
