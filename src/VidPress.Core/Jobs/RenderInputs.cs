using Microsoft.EntityFrameworkCore;
using VidPress.Core.Data;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Rendering;

namespace VidPress.Core.Jobs;

/// <summary>
/// Gathers what the renderer needs for each format of a video: the local file of every clip's asset (each checked
/// against <see cref="LicencePolicy"/> now, as the render may come long after the pick), the video's own narration, the
/// tenant's music track the timeline names, the fit and the formats asked for. Never a storage key from a document.
/// </summary>
public sealed class RenderInputs(VidPressDbContext db, IMediaStorage storage, MusicLibrary music, TimeProvider clock)
{
    public async Task<RenderInput> GatherAsync(Video video, CancellationToken cancellationToken)
    {
        var timeline = video.Timeline ?? throw new InvalidOperationException($"Video {video.Id} has no timeline to render.");
        var assetIds = timeline.Clips.Where(c => c.AssetId is not null).Select(c => c.AssetId!.Value).Distinct().ToList();
        var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == video.TenantId && assetIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var sources = new List<ClipSource?>();
        var now = clock.GetUtcNow();
        foreach (var clip in timeline.Clips)
        {
            if (clip.AssetId is not { } id) { sources.Add(null); continue; }
            var asset = assets.GetValueOrDefault(id);
            if (LicencePolicy.RenderRefusal(clip.Start, id, asset, now) is { } refusal) throw new VideoInputException(refusal);
            sources.Add(new ClipSource(await storage.GetLocalPathAsync(asset!.StorageKey, cancellationToken), asset.Kind == AssetKind.Image, asset.Orientation));
        }
        // The narration is the video's own, the music the tenant's track the document names.
        var narrationPath = await storage.GetLocalPathAsync(video.Narration?.AudioKey ?? StorageKeys.Narration(video.TenantId, video.Id), cancellationToken);
        var track = timeline.Music is { } bed
            ? await music.FindAsync(video.TenantId, bed.Id, bed.TrackKey, cancellationToken)
                ?? throw new VideoInputException($"The timeline's music bed {bed.Id} is not in the library; pick another (music.id) or remove it.")
            : null;
        var background = track is null ? null : new BackgroundMusic(await storage.GetLocalPathAsync(track.StorageKey, cancellationToken));
        var fit = video.Request.Fit == "letterbox" ? FrameFit.Letterbox : FrameFit.Crop;
        return new RenderInput(sources, narrationPath, background, fit, FormatsOf(video.Request), video.Request.BurnSubtitles);
    }

    /// <summary>The formats to draw: the one asked for first, then each further one not already among them.</summary>
    public static IReadOnlyList<VideoFormat> FormatsOf(VideoRequest request)
    {
        var formats = new List<VideoFormat> { VideoFormat.Create(request.AspectRatio, request.Resolution) };
        foreach (var format in (request.Formats ?? []).Select(f => VideoFormat.Create(f.AspectRatio, f.Resolution)))
            if (!formats.Contains(format)) formats.Add(format);
        return formats;
    }
}
