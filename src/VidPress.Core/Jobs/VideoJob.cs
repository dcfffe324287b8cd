using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Articles;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Rendering;
using VidPress.Core.Script;
using VidPress.Core.Timeline;

namespace VidPress.Core.Jobs;

public sealed class JobOptions
{
    /// <summary>Attempts of a video job before it is failed for good (Hangfire retries in between).</summary>
    public int MaxAttempts { get; set; } = 3;
    public int CandidatesPerSentence { get; set; } = 8;
}

/// <summary>
/// Runs a video through the stages in order. Each finished stage's result is saved on the video row,
/// so a job that is retried or picked up again after a crash resumes after the last finished stage.
/// </summary>
public sealed class VideoJob(
    VidPressDbContext db,
    IDbContextFactory<VidPressDbContext> dbFactory,
    ArticleReader articles,
    ScriptWriter scriptWriter,
    Narrator narrator,
    ShotSearch shotSearch,
    TimelineBuilder timelineBuilder,
    VideoRenderer renderer,
    IMediaStorage storage,
    IBackgroundJobClient jobs,
    TimeProvider clock,
    IOptions<JobOptions> options,
    ILogger<VideoJob> logger)
{
    private readonly JobOptions _options = options.Value;

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [5, 30])]
    [Queue(JobQueues.Render)]
    public async Task RunAsync(Guid videoId, CancellationToken cancellationToken)
    {
        var video = await db.Videos.SingleOrDefaultAsync(v => v.Id == videoId, cancellationToken);
        if (video is null || video.Status is VideoStatus.Succeeded or VideoStatus.Failed) return;
        video.Attempt++;
        video.Status = VideoStatus.Running;
        await SaveAsync(video, cancellationToken);

        try
        {
            await RunStagesAsync(video, cancellationToken);
        }
        catch (Exception e) when (e is VideoInputException or MediaRejectedException || (video.Attempt >= _options.MaxAttempts && e is not OperationCanceledException))
        {
            logger.LogWarning(e, "Video {VideoId} failed at {Stage}", video.Id, video.Stage);
            video.Status = VideoStatus.Failed;
            video.Error = e is VideoInputException or MediaRejectedException ? e.Message : $"{video.Stage} failed: {e.Message}";
            video.FinishedAt = clock.GetUtcNow();
            await SaveAsync(video, CancellationToken.None);
            EnqueueWebhook(video, WebhookEvents.VideoFailed);
        }
    }

    private async Task RunStagesAsync(Video video, CancellationToken cancellationToken)
    {
        var request = video.Request;
        if (video.ArticleText is null)
        {
            await EnterAsync(video, VideoStage.Article, 2, cancellationToken);
            // A caller's script is the article as far as language detection and the stored text go.
            var article = request.Script is { Count: > 0 } callerScript
                ? new Article(request.Title, string.Join("\n\n", callerScript.Select(s => s.Text)))
                : await articles.ReadAsync(request.Text, request.Url, request.Title, cancellationToken);
            video.ArticleText = article.Text;
            video.Title = article.Title;
            video.Language = request.Language is not null ? Languages.Normalise(request.Language) : Languages.Detect(article.Text);
            if (!Languages.IsSupported(video.Language)) throw new VideoInputException($"Language '{video.Language}' is not supported.");
        }
        if (video.Script is null)
        {
            await EnterAsync(video, VideoStage.Script, 8, cancellationToken);
            video.Script = request.Script is { Count: > 0 } callerScript
                ? scriptWriter.FromCaller(callerScript, video.Language!)
                : scriptWriter.Write(video.ArticleText, video.Language!, request.TargetDurationSeconds);
        }
        if (video.Narration is null)
        {
            await EnterAsync(video, VideoStage.Narration, 12, cancellationToken);
            video.Narration = await narrator.NarrateAsync(video.Script, StorageKeys.Narration(video.TenantId, video.Id), cancellationToken);
        }
        if (video.Candidates is null)
        {
            await EnterAsync(video, VideoStage.Retrieval, 25, cancellationToken);
            var found = new List<SentenceCandidates>();
            foreach (var sentence in video.Script.Sentences)
                found.Add(new SentenceCandidates(sentence.Index, await shotSearch.SearchAsync(video.TenantId, sentence, video.Script.Language, _options.CandidatesPerSentence, cancellationToken)));
            video.Candidates = new CandidatesDocument(found);
        }
        var format = VideoFormat.Create(request.AspectRatio, request.Resolution);
        if (video.Timeline is null)
        {
            await EnterAsync(video, VideoStage.Timeline, 32, cancellationToken);
            video.Timeline = timelineBuilder.Build(video.Script, video.Narration, video.Candidates, format,
                new TimelineExtras
                {
                    ArticleTitle = video.Title,
                    Anchors = video.Script.Sentences.ToDictionary(s => s.Index, s => (IReadOnlyList<AnchorPoint>)s.Anchors),
                });
        }
        if (video.OutputKey is null)
        {
            await EnterAsync(video, VideoStage.Render, 35, cancellationToken);
            await RenderAsync(video, cancellationToken);
        }
        video.Status = VideoStatus.Succeeded;
        video.Stage = VideoStage.Done;
        video.Progress = 100;
        video.Error = null;
        video.FinishedAt = clock.GetUtcNow();
        await SaveAsync(video, cancellationToken);
        EnqueueWebhook(video, WebhookEvents.VideoSucceeded);
    }

    private async Task RenderAsync(Video video, CancellationToken cancellationToken)
    {
        var timeline = video.Timeline!;
        var assetIds = timeline.Clips.Where(c => c.AssetId is not null).Select(c => c.AssetId!.Value).Distinct().ToList();
        var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == video.TenantId && assetIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var sources = new List<ClipSource?>();
        foreach (var clip in timeline.Clips)
        {
            if (clip.AssetId is { } id && assets.TryGetValue(id, out var asset))
                sources.Add(new ClipSource(await storage.GetLocalPathAsync(asset.StorageKey, cancellationToken), asset.Kind == AssetKind.Image));
            else
                sources.Add(null);
        }
        var narrationPath = await storage.GetLocalPathAsync(timeline.NarrationKey, cancellationToken);
        using var scratch = storage.CreateScratch("render");
        var lastWrite = DateTimeOffset.MinValue;
        var target = new RenderTarget(timeline.Width, timeline.Height);
        var rendered = await renderer.RenderAsync(timeline, target, sources, narrationPath, music: null, scratch, fraction =>
        {
            if (clock.GetUtcNow() - lastWrite < TimeSpan.FromSeconds(1)) return;
            lastWrite = clock.GetUtcNow();
            ReportProgress(video.Id, 35 + fraction * 60);
        }, cancellationToken);

        var outputKey = StorageKeys.Output(video.TenantId, video.Id);
        var posterKey = StorageKeys.Poster(video.TenantId, video.Id);
        await storage.ImportFileAsync(posterKey, rendered.PosterPath, cancellationToken);
        await storage.ImportFileAsync(outputKey, rendered.VideoPath, cancellationToken);
        video.OutputKey = outputKey;
        video.PosterKey = posterKey;
        video.DurationSeconds = rendered.DurationSeconds;
        video.RenderSeconds = Math.Round(rendered.Elapsed.TotalSeconds, 2);
    }

    // Render progress arrives on ffmpeg's output thread; it goes through its own short-lived context.
    private void ReportProgress(Guid videoId, double progress)
    {
        using var progressDb = dbFactory.CreateDbContext();
        progressDb.Videos.Where(v => v.Id == videoId)
            .ExecuteUpdate(s => s.SetProperty(v => v.Progress, Math.Round(progress, 1)));
    }

    private async Task EnterAsync(Video video, VideoStage stage, double progress, CancellationToken cancellationToken)
    {
        PipelineMetrics.EnterStage(video.Id, stage);
        video.Stage = stage;
        video.Progress = progress;
        await SaveAsync(video, cancellationToken);
    }

    private async Task SaveAsync(Video video, CancellationToken cancellationToken)
    {
        video.UpdatedAt = clock.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
    }

    private void EnqueueWebhook(Video video, string eventType)
    {
        if (string.IsNullOrEmpty(video.Request.CallbackUrl)) return;
        jobs.Enqueue<WebhookJob>(j => j.DeliverAsync(video.Id, eventType, CancellationToken.None));
    }
}

public static class JobQueues
{
    public const string Render = "render";
    public const string Default = "default";
    public const string Gpu = "gpu";
}

/// <summary>Delivers webhooks durably: a failed attempt is retried with growing delays over hours.</summary>
public sealed class WebhookJob(WebhookSender sender)
{
    [AutomaticRetry(Attempts = 12, DelaysInSeconds = [5, 30, 60, 300, 600, 1800, 3600, 3600, 7200, 7200, 14400, 14400])]
    [Queue(JobQueues.Default)]
    public Task DeliverAsync(Guid videoId, string eventType, CancellationToken cancellationToken) =>
        sender.DeliverAsync(videoId, eventType, cancellationToken);
}

/// <summary>Ingests one library asset in the background.</summary>
public sealed class AssetIngestJob(LibraryIngest ingest)
{
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [5, 30])]
    [Queue(JobQueues.Default)]
    public async Task RunAsync(Guid assetId, CancellationToken cancellationToken)
    {
        try
        {
            await ingest.IngestAsync(assetId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await ingest.MarkFailedAsync(assetId, e.Message, CancellationToken.None);
            throw;
        }
    }
}
