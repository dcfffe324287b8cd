using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using VidPress.Core.Data;
using VidPress.Core.Jobs;
using VidPress.Core.Media;
using VidPress.Core.Timeline;

namespace VidPress.Core.Generation;

/// <summary>
/// Runs on the GPU workers' queue: makes a still for every fallback clip of a video's timeline, stores
/// each as an image asset marked AI-generated, puts it into the timeline, and hands the video back to
/// the render queue. A rerun skips clips that already have their still.
/// </summary>
public sealed class StillGenerationJob(
    VidPressDbContext db,
    StillGenerator generator,
    TimelineBuilder timelines,
    IMediaStorage storage,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<GenerationOptions> options,
    ILogger<StillGenerationJob> logger)
{
    public const string AiTag = "ai-generated";

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [5, 30])]
    [Queue(JobQueues.Gpu)]
    public async Task RunAsync(Guid videoId, CancellationToken cancellationToken)
    {
        var video = await db.Videos.SingleOrDefaultAsync(v => v.Id == videoId, cancellationToken);
        if (video?.Timeline is not { } timeline || video.Status is not VideoStatus.Running) return;
        for (var i = 0; i < timeline.Clips.Count; i++)
        {
            var clip = timeline.Clips[i];
            if (!clip.Fallback || clip.Generated) continue;
            var prompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, options.Value.PromptTemplate, Subject(clip));
            // The seed follows the video and clip, so a rerun draws the same picture.
            var still = generator.Generate(new StillRequest(prompt) { Seed = SeedOf(video.Id, i) }, cancellationToken);
            var assetId = Guid.NewGuid();
            var key = StorageKeys.AssetOriginal(video.TenantId, assetId, ".png");
            var png = still.Image.ToPng();
            await storage.SaveAsync(key, new MemoryStream(png), cancellationToken);
            db.Assets.Add(new Asset
            {
                Id = assetId, TenantId = video.TenantId, Kind = AssetKind.Image, Status = AssetStatus.Ready,
                Title = $"AI-generated: {prompt}", Description = $"Generated for video {video.Id}, sentence {clip.SentenceIndex + 1}.",
                Tags = [AiTag], FileName = "generated.png", StorageKey = key, Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png)),
                SizeBytes = png.Length, Width = still.Image.Width, Height = still.Image.Height,
                Licence = "AI-generated", CreditLine = "AI-generated image", CreatedAt = clock.GetUtcNow(),
            });
            timeline = timelines.UseGeneratedStill(timeline, i, assetId);
            logger.LogInformation("Generated a still for video {VideoId} clip {Clip} on {Provider} in {Ms} ms", video.Id, i, generator.ActiveProvider, still.Elapsed.TotalMilliseconds);
        }
        video.Timeline = timeline;
        video.Stage = VideoStage.Render;
        video.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        jobs.Enqueue<VideoJob>(j => j.RunAsync(video.Id, CancellationToken.None));
    }

    /// <summary>
    /// What the picture should show: the sentence's anchor words in the order the sentence says them
    /// ("green triangle", not the anchors' weight order), leaving out words that show nothing; the
    /// whole sentence when it has no anchors.
    /// </summary>
    internal static string Subject(TimelineClip clip)
    {
        var anchors = (clip.CardText ?? "").Split([" · ", " "], StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.ToLowerInvariant()).ToHashSet();
        var words = clip.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)
            .Select(w => w.Trim('.', ',', ';', ':', '!', '?', '"', '\'', '“', '”'))
            .Where(w => anchors.Contains(w.ToLowerInvariant()) && !Library.QueryPhrases.IsStopWord(w))
            .ToList();
        return words.Count > 0 ? string.Join(' ', words) : clip.Text;
    }

    private static long SeedOf(Guid videoId, int clip) => BitConverter.ToInt64(videoId.ToByteArray(), 0) ^ clip;
}
