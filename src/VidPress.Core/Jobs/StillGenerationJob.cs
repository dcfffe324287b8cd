using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using VidPress.Core.Data;
using VidPress.Core.Generation;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Timeline;
using VidPress.Core.Videos;

namespace VidPress.Core.Jobs;

/// <summary>
/// Runs on the GPU workers' queue: makes a still for every fallback clip of a video's timeline, stores
/// each as an image asset marked AI-generated, puts it into the timeline, and hands the video back to
/// the render queue. A rerun skips clips that already have their still.
/// </summary>
public sealed class StillGenerationJob(
    VidPressDbContext db,
    VideoLifecycle lifecycle,
    IServiceProvider services,
    TimelineBuilder timelines,
    IMediaStorage storage,
    VideoQueue queue,
    TimeProvider clock,
    Microsoft.Extensions.Options.IOptions<GenerationOptions> options,
    ILogger<StillGenerationJob> logger)
{
    public const string AiTag = "ai-generated";

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [5, 30])]
    [Queue(JobQueues.Gpu)]
    public async Task RunAsync(Guid videoId, CancellationToken cancellationToken)
    {
        var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId, cancellationToken);
        if (video?.Timeline is not { } timeline || !VideoRules.WaitsForStills(video)) return;
        for (var i = 0; i < timeline.Clips.Count; i++)
        {
            var clip = timeline.Clips[i];
            if (!clip.Fallback || clip.Generated || clip.GenerationError is not null) continue;
            // Cancelled meanwhile: no more pictures; the video job, handed the video back below, settles the cancel.
            if (await db.Videos.AsNoTracking().AnyAsync(v => v.Id == videoId && v.CancelRequested, cancellationToken)) break;
            var prompt = string.Format(System.Globalization.CultureInfo.InvariantCulture, options.Value.PromptTemplate, Subject(clip));
            // The still's asset id, like its seed, follows the video, the clip and the prompt: a rerun, or a second
            // copy of this job (Hangfire runs a job at least once), finds the still made before instead of making
            // another asset, and a run that dies between two clips leaves stills with their rows, never files alone.
            var assetId = AssetIdOf(video.Id, i, prompt);
            try
            {
                if (!await db.Assets.AsNoTracking().AnyAsync(a => a.Id == assetId, cancellationToken))
                    assetId = await GenerateAsync(video, clip, i, prompt, assetId, cancellationToken);
                timeline = timelines.UseGeneratedStill(timeline, i, assetId);
            }
            catch (Exception e) when (e is not OperationCanceledException and not DbUpdateException and not Npgsql.NpgsqlException)
            {
                // Stills are an extra: a model that does not load or a GPU that fails leaves the title card, with the
                // reason on the clip, and the video is still made. (Failing the job would leave the video waiting here.)
                logger.LogError(e, "No still for video {VideoId} clip {Clip}; it stays a title card", videoId, i);
                timeline = timelines.KeepTitleCard(timeline, i, e.Message);
            }
        }
        // Only a video still waiting for its stills takes the timeline: a late copy of this job must not
        // change one that is being (or has been) rendered.
        if (!await lifecycle.ResumeAfterGenerationAsync(videoId, timeline, cancellationToken)) logger.LogInformation("Video {VideoId} no longer waits for stills; this run's timeline is dropped", videoId);
        // Always: the video job renders, or settles what happened meanwhile (a cancel, a finished render).
        queue.EnqueueRun(videoId, video.Priority);
    }

    /// <returns>The still's asset: <paramref name="assetId"/>, or the tenant's asset that already holds the same picture.</returns>
    private async Task<Guid> GenerateAsync(Video video, TimelineClip clip, int index, string prompt, Guid assetId, CancellationToken cancellationToken)
    {
        // Resolved here, not injected: a generator that cannot load fails this clip, not the job's activation.
        var generator = services.GetRequiredService<StillGenerator>();
        // The seed follows the video and clip, so a rerun draws the same picture.
        var still = generator.Generate(new StillRequest(prompt) { Seed = SeedOf(video.Id, index) }, cancellationToken);
        var key = StorageKeys.AssetOriginal(video.TenantId, assetId, ".png");
        var png = still.Image.ToPng();
        var sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(png));
        await storage.SaveAsync(key, new MemoryStream(png), cancellationToken);
        db.Assets.Add(new Asset
        {
            Id = assetId, TenantId = video.TenantId, Kind = AssetKind.Image, Status = AssetStatus.Ready,
            Title = $"AI-generated: {prompt}", Description = $"Generated for video {video.Id}, sentence {clip.SentenceIndex + 1}.",
            Tags = [AiTag], FileName = "generated.png", StorageKey = key, Sha256 = sha256,
            SizeBytes = png.Length, Width = still.Image.Width, Height = still.Image.Height,
            Licence = "AI-generated", CreditLine = "AI-generated image", CreatedAt = clock.GetUtcNow(),
            // Not in the full-text index (no terms), and marked as made by today's tokeniser so the start-up re-index leaves it so.
            SearchTermsVersion = TextTerms.Version,
        });
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.UniqueViolation })
        {
            db.ChangeTracker.Clear();
            // A copy of this job stored the same still a moment earlier (same id, same file), or the tenant already
            // has this very picture (one asset per file and tenant): that asset serves, and this file goes.
            var same = await db.Assets.AsNoTracking().Where(a => a.TenantId == video.TenantId && a.Sha256 == sha256).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(CancellationToken.None);
            if (same is not { } existing) throw;
            if (existing != assetId) await storage.DeletePrefixAsync(StorageKeys.AssetFolder(video.TenantId, assetId), CancellationToken.None);
            return existing;
        }
        logger.LogInformation("Generated a still for video {VideoId} clip {Clip} on {Provider} in {Ms} ms", video.Id, index, generator.ActiveProvider, still.Elapsed.TotalMilliseconds);
        return assetId;
    }

    /// <summary>A name-based id (the first 16 bytes of a SHA-256 of video, clip and prompt, marked version 8).</summary>
    internal static Guid AssetIdOf(Guid videoId, int clip, string prompt)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{videoId:N}/{clip}/{prompt}"));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
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
