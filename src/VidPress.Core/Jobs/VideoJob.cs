using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using VidPress.Core.Articles;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Generation;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Rendering;
using VidPress.Core.Script;
using VidPress.Core.Timeline;
using VidPress.Core.Videos;

namespace VidPress.Core.Jobs;

/// <summary>
/// Runs a video through the stages in order. Each finished stage's result is saved on the video row,
/// so a job that is retried or picked up again after a crash resumes after the last finished stage.
/// Hangfire runs a job at least once, and a worker presumed dead may still be running: every run takes a
/// new fencing token (<see cref="Video.Attempt"/>), every save is conditional on still holding it, and only
/// the holder may publish the MP4 and hand the outcome to the webhook.
/// </summary>
public sealed class VideoJob(
    VidPressDbContext db,
    VideoLifecycle lifecycle,
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
    IOptions<GenerationOptions> generation,
    MusicLibrary musicLibrary,
    ILogger<VideoJob> logger)
{
    private readonly JobOptions _options = options.Value;
    private int _token;

    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [5, 30])]
    [Queue(JobQueues.Render)]
    public async Task RunAsync(Guid videoId, CancellationToken cancellationToken)
    {
        var token = await lifecycle.TakeRunAsync(videoId, cancellationToken);
        if (token is null)
        {
            await SettleAsync(videoId);
            return;
        }
        _token = token.Value;
        var video = await db.Videos.SingleAsync(v => v.Id == videoId, cancellationToken);

        // Cancelled when the caller cancels or a newer run takes over, so ffmpeg is killed within a poll.
        using var run = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopWatching = new CancellationTokenSource();
        var watcher = WatchForStopAsync(videoId, run, stopWatching.Token);
        try
        {
            await RunStagesAsync(video, run.Token);
        }
        catch (Exception e)
        {
            // Shutting down: Hangfire hands the job to a worker again.
            if (cancellationToken.IsCancellationRequested) throw;
            if (await lifecycle.StopReasonAsync(videoId, _token) is { } reason)
            {
                await StopAsync(videoId, reason);
                return;
            }
            if (e is RunStoppedException) return;
            // Published, or about to be: only the hand-over to the webhook is left, and a retried run settles it.
            if (video.Status == VideoStatus.Succeeded) throw;
            if (!VideoRules.FailsForGood(video, _token, e, _options.MaxAttempts)) throw;
            logger.LogWarning(e, "Video {VideoId} failed at {Stage}", video.Id, video.Stage);
            if (lifecycle.Fail(video, _token, VideoRules.FailureReason(video.Stage, e))
                && await lifecycle.TrySaveHeldAsync(video, _token, inside: null, CancellationToken.None))
                await HandOverToWebhookAsync(video);
            else if (await lifecycle.StopReasonAsync(videoId, _token) is { } late)
                await StopAsync(videoId, late);
        }
        finally
        {
            await stopWatching.CancelAsync();
            await watcher;
        }
    }

    /// <summary>
    /// A run that got no token finishes what an earlier run left half done: a published outcome whose
    /// webhook was not handed over yet (that run died in between), or a cancel nobody was left to carry out.
    /// </summary>
    private async Task SettleAsync(Guid videoId)
    {
        var video = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId);
        if (video is null) return;
        switch (VideoRules.SettleFor(video))
        {
            case SettleAction.HandOverOutcome: await HandOverToWebhookAsync(video); break;
            case SettleAction.MarkCancelled: await lifecycle.MarkCancelledAsync(videoId, token: null); break;
        }
    }

    private async Task StopAsync(Guid videoId, StopReason reason)
    {
        if (reason == StopReason.Cancelled)
        {
            await lifecycle.MarkCancelledAsync(videoId, _token);
            logger.LogInformation("Video {VideoId} cancelled by request (run {Token})", videoId, _token);
        }
        else
        {
            logger.LogInformation("Video {VideoId}: run {Token} was superseded by a newer run and publishes nothing", videoId, _token);
        }
    }

    /// <summary>Polls the row so a cancel request or a newer run stops this one (and its ffmpeg) within a poll.</summary>
    private async Task WatchForStopAsync(Guid videoId, CancellationTokenSource run, CancellationToken stopWatching)
    {
        await Task.Yield();
        while (!stopWatching.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.StopPollInterval, clock, stopWatching);
                if (await lifecycle.StopReasonAsync(videoId, _token, stopWatching) is not null)
                {
                    await run.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (stopWatching.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The database may be briefly away; the stages' own saves decide whether the run survives that.
                logger.LogDebug(e, "Could not check video {VideoId} for a stop request", videoId);
            }
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
                ? scriptWriter.FromCaller(callerScript, video.Language!, request.TargetDurationSeconds)
                : scriptWriter.Write(video.ArticleText, video.Language!, request.TargetDurationSeconds);
        }
        if (video.Narration is null)
        {
            await EnterAsync(video, VideoStage.Narration, 12, cancellationToken);
            var narrationKey = StorageKeys.Narration(video.TenantId, video.Id);
            var speech = RunScratchPurpose(video, "tts");
            video.Narration = await narrator.NarrateAsync(video.Script, narrationKey, cancellationToken, speech);
            // The script was fitted by an estimate; the voice itself must keep to the target too (within its tolerance).
            if (scriptWriter.Shorten(video.Script, video.Narration,
                scriptWriter.TargetSeconds(request.TargetDurationSeconds, request.Script is { Count: > 0 })) is { } shorter)
                (video.Script, video.Narration) = (shorter, await narrator.NarrateAsync(shorter, narrationKey, cancellationToken, speech));
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
            var track = request.Music is null ? null
                : await musicLibrary.PickAsync(video.TenantId, request.Music == "auto" ? null : request.Music, video.Id, cancellationToken)
                  ?? throw new VideoInputException($"No music bed in the library fits '{request.Music}'.");
            video.Timeline = timelineBuilder.Build(video.Script, video.Narration, video.Candidates, format,
                new TimelineExtras
                {
                    ArticleTitle = video.Title,
                    Anchors = video.Script.Sentences.ToDictionary(s => s.Index, s => (IReadOnlyList<AnchorPoint>)s.Anchors),
                    Music = track is null ? null : MusicLibrary.BedFor(track, video.Narration.DurationSeconds),
                });
        }
        if (video.OutputKey is null && await NeedsGeneratedStillsAsync(video, cancellationToken))
        {
            // Generation runs on the GPU workers' queue; that job hands the video back here to render.
            await EnterAsync(video, VideoStage.Generation, 33, cancellationToken);
            jobs.Enqueue<StillGenerationJob>(j => j.RunAsync(video.Id, CancellationToken.None));
            return;
        }
        if (video.OutputKey is null)
        {
            await EnterAsync(video, VideoStage.Render, VideoRules.RenderStartProgress, cancellationToken);
            using var scratch = CreateRenderScratch(video);
            var rendered = await RenderAsync(video, scratch, cancellationToken);
            await PublishAsync(video, rendered, cancellationToken);
        }
        else
        {
            await PublishAsync(video, renders: null, cancellationToken);
        }
    }

    /// <summary>
    /// Moves the MP4 and poster into place and marks the video succeeded in one transaction that holds the
    /// row only while this run's token is the latest: a superseded run publishes nothing. The video is left
    /// in stage Delivery until the webhook is handed over, so a run that dies in between is finished by the next.
    /// </summary>
    private async Task PublishAsync(Video video, IReadOnlyList<(VideoFormat Format, RenderedVideo Rendered)>? renders, CancellationToken cancellationToken)
    {
        // The first format keeps the video's plain keys; further formats get their own beside it.
        var keys = (renders ?? []).Select((r, n) => n == 0
            ? (Video: StorageKeys.Output(video.TenantId, video.Id), Poster: StorageKeys.Poster(video.TenantId, video.Id))
            : (Video: StorageKeys.OutputIn(video.TenantId, video.Id, r.Format), Poster: StorageKeys.PosterIn(video.TenantId, video.Id, r.Format))).ToList();
        if (renders is { Count: > 0 })
        {
            var primary = renders[0].Rendered;
            video.OutputKey = keys[0].Video;
            video.PosterKey = keys[0].Poster;
            video.DurationSeconds = primary.DurationSeconds;
            video.RenderSeconds = Math.Round(renders.Sum(r => r.Rendered.Elapsed.TotalSeconds), 2);
            video.Outputs = renders.Select((r, n) => new VideoOutput(r.Format.AspectRatio, r.Format.Resolution, r.Format.Width, r.Format.Height, keys[n].Video, keys[n].Poster)).ToList();
        }
        if (!lifecycle.Publish(video, _token)) throw new RunStoppedException();
        cancellationToken.ThrowIfCancellationRequested();
        // Not cancellable once the row is held: a cancel request that arrives now waits for the commit and finds the video done.
        bool published;
        try
        {
            published = await lifecycle.TrySaveHeldAsync(video, _token, async () =>
            {
                if (renders is null) return;
                // A transaction retried after a lost commit finds the files already moved.
                for (var n = 0; n < renders.Count; n++)
                {
                    var rendered = renders[n].Rendered;
                    if (File.Exists(rendered.PosterPath)) await storage.ImportFileAsync(keys[n].Poster, rendered.PosterPath, CancellationToken.None);
                    if (File.Exists(rendered.VideoPath)) await storage.ImportFileAsync(keys[n].Video, rendered.VideoPath, CancellationToken.None);
                }
            }, CancellationToken.None);
        }
        catch (Exception)
        {
            // Nothing was committed (storage refused a file, or the database the commit): the video is not published,
            // so it goes back to what the row holds (the fenced save accepts changes only after its commit) and the
            // failure is handled as an unpublished video's: retried, or failed for good on the last attempt.
            // Files already stored stay under their keys, which the next publish overwrites; they are not deleted, as
            // a commit that went through but was not acknowledged would then lose a published video's files.
            lifecycle.Revert(video);
            throw;
        }
        if (!published) throw new RunStoppedException();
        await HandOverToWebhookAsync(video);
    }

    private async Task<bool> NeedsGeneratedStillsAsync(Video video, CancellationToken cancellationToken)
    {
        if (!generation.Value.Enabled || video.Timeline!.Clips.All(c => !c.Fallback || c.Generated || c.GenerationError is not null)) return false;
        return video.Request.GenerateStills
            ?? await db.Tenants.Where(t => t.Id == video.TenantId).Select(t => t.GenerationEnabled).SingleAsync(cancellationToken);
    }


    /// <summary>
    /// Enqueues the outcome's webhook, then leaves stage Delivery. A crash between the two enqueues it twice;
    /// <see cref="WebhookJob"/> delivers an event once however often it is enqueued. The event names the run that
    /// ended (its token, still the video's <see cref="Video.Attempt"/>): each run's outcome is its own event.
    /// </summary>
    private async Task HandOverToWebhookAsync(Video video)
    {
        var eventType = WebhookEvents.For(video.Status)!;
        var run = video.Attempt;
        if (!string.IsNullOrEmpty(video.Request.CallbackUrl))
            jobs.Enqueue<WebhookJob>(j => j.DeliverAsync(video.Id, eventType, 1, run, CancellationToken.None));
        await lifecycle.HandBackAsync(video.Id);
    }

    /// <summary>
    /// Scratch named after the video and run, so leftovers of killed runs are found and removed, and
    /// their ffmpeg processes can be told apart.
    /// </summary>
    private ScratchFolder CreateRenderScratch(Video video) => storage.CreateScratch(RunScratchPurpose(video, "render"));

    /// <summary>
    /// The name of this run's scratch folders for <paramref name="purpose"/> ("purpose-video-run-…"); the folders of
    /// the same purpose that earlier runs of the video left (a worker killed mid-stage) are removed first.
    /// </summary>
    private string RunScratchPurpose(Video video, string purpose)
    {
        var prefix = $"{purpose}-{video.Id:N}-";
        var root = storage.ScratchRoot;
        if (Directory.Exists(root))
            foreach (var folder in Directory.EnumerateDirectories(root, prefix + "*"))
            {
                var rest = Path.GetFileName(folder)[prefix.Length..];
                var dash = rest.IndexOf('-');
                if (dash > 0 && int.TryParse(rest[..dash], out var token) && token < _token)
                {
                    try { Directory.Delete(folder, recursive: true); }
                    catch (IOException e) { logger.LogDebug(e, "Could not remove the scratch of an earlier run: {Folder}", folder); }
                }
            }
        return prefix + _token.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async Task<IReadOnlyList<(VideoFormat Format, RenderedVideo Rendered)>> RenderAsync(Video video, ScratchFolder scratch, CancellationToken cancellationToken)
    {
        var timeline = video.Timeline!;
        var assetIds = timeline.Clips.Where(c => c.AssetId is not null).Select(c => c.AssetId!.Value).Distinct().ToList();
        var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == video.TenantId && assetIds.Contains(a.Id)).ToDictionaryAsync(a => a.Id, cancellationToken);
        var sources = new List<ClipSource?>();
        var now = clock.GetUtcNow();
        foreach (var clip in timeline.Clips)
        {
            if (clip.AssetId is not { } id) { sources.Add(null); continue; }
            // Picked when it was usable, but the render may come later (a retry, a re-render): see LicencePolicy.
            var asset = assets.GetValueOrDefault(id);
            if (LicencePolicy.RenderRefusal(clip.Start, id, asset, now) is { } refusal) throw new VideoInputException(refusal);
            sources.Add(new ClipSource(await storage.GetLocalPathAsync(asset!.StorageKey, cancellationToken), asset.Kind == AssetKind.Image));
        }
        // Never a key from the document: the narration is the video's own, the music the tenant's track the document names.
        var narrationPath = await storage.GetLocalPathAsync(video.Narration?.AudioKey ?? StorageKeys.Narration(video.TenantId, video.Id), cancellationToken);
        var lastWrite = DateTimeOffset.MinValue;
        var track = timeline.Music is { } music
            ? await musicLibrary.FindAsync(video.TenantId, music, cancellationToken)
                ?? throw new VideoInputException($"The timeline's music bed {music.Id} is not in the library; pick another (music.id) or remove it.")
            : null;
        var bed = track is null ? null : new BackgroundMusic(await storage.GetLocalPathAsync(track.StorageKey, cancellationToken));
        var fit = video.Request.Fit == "letterbox" ? FrameFit.Letterbox : FrameFit.Crop;
        // Every format is drawn from the same timeline: same shots and times, reframed for its own frame.
        var formats = new List<VideoFormat> { VideoFormat.Create(video.Request.AspectRatio, video.Request.Resolution) };
        formats.AddRange((video.Request.Formats ?? []).Select(f => VideoFormat.Create(f.AspectRatio, f.Resolution)).Where(f => !formats.Contains(f)));
        var results = new List<(VideoFormat, RenderedVideo)>();
        for (var n = 0; n < formats.Count; n++)
        {
            var format = formats[n];
            var folder = n == 0 ? scratch : new ScratchFolder(scratch.Path, $"format{n}");
            var rendered = await renderer.RenderAsync(timeline, new RenderTarget(format.Width, format.Height, fit), sources, narrationPath, bed, folder, fraction =>
            {
                if (clock.GetUtcNow() - lastWrite < TimeSpan.FromSeconds(1)) return;
                lastWrite = clock.GetUtcNow();
                ReportProgress(video.Id, 35 + (n + fraction) / formats.Count * 60);
            }, cancellationToken);
            results.Add((format, rendered));
        }
        return results;
    }

    private void ReportProgress(Guid videoId, double progress)
    {
        try
        {
            lifecycle.ReportProgress(videoId, _token, Math.Round(progress, 1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Progress is a display; losing one reading must not fail the render (e.g. while the database restarts).
            logger.LogDebug(e, "Could not record the progress of video {VideoId}", videoId);
        }
    }

    private async Task EnterAsync(Video video, VideoStage stage, double progress, CancellationToken cancellationToken)
    {
        PipelineMetrics.EnterStage(video.Id, stage);
        if (!VideoLifecycle.Enter(video, _token, stage, progress) || !await lifecycle.TrySaveHeldAsync(video, _token, inside: null, cancellationToken))
            throw new RunStoppedException();
    }
}
