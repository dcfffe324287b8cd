using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Videos;

namespace VidPress.Core.Jobs;

/// <summary>
/// Conducts one run of a video: takes the run's fencing token from <see cref="VideoLifecycle"/>, hands the video to the
/// <see cref="VideoPipeline"/> (stage order, resuming after the last finished stage, each stage's document saved fenced)
/// and its renders to the <see cref="VideoPublisher"/>, and turns what stopped the run into the video's outcome: a cancel,
/// a newer run, a failure retried or final. Hangfire runs a job at least once, and a worker presumed dead may still be
/// running: every run takes a new fencing token (<see cref="Video.Attempt"/>), every save is conditional on still holding
/// it, and only the holder may publish the MP4 and hand the outcome to the webhook.
/// </summary>
public sealed class VideoJob(
    VidPressDbContext db,
    VideoLifecycle lifecycle,
    VideoPipeline pipeline,
    VideoPublisher publisher,
    VideoQueue queue,
    TimeProvider clock,
    IOptions<JobOptions> options,
    ILogger<VideoJob> logger)
{
    private readonly JobOptions _options = options.Value;
    private int _token;

    /// <remarks>
    /// No [Queue]: <see cref="VideoQueue"/> enqueues every run on its priority's queue (Hangfire keeps a job's queue
    /// for its retries). A run that ends (or finds nothing to do) may free one of its tenant's share of the workers,
    /// so it hands the tenant's next held video over; not when it is being handed on (shutdown) or retried (it throws
    /// and still holds its place).
    /// </remarks>
    [AutomaticRetry(Attempts = 2, DelaysInSeconds = [5, 30])]
    public async Task RunAsync(Guid videoId, CancellationToken cancellationToken)
    {
        await RunOnceAsync(videoId, cancellationToken);
        if (await lifecycle.TenantOfAsync(videoId, CancellationToken.None) is { } tenant)
            await queue.DispatchAsync(tenant, CancellationToken.None);
    }

    private async Task RunOnceAsync(Guid videoId, CancellationToken cancellationToken)
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
            // The run's scratch (its renders) lives until the publisher has stored them.
            using var videoRun = new VideoRun(video, _token);
            if (await pipeline.RunAsync(videoRun, run.Token) == StageOutcome.Finished)
                await publisher.PublishAsync(videoRun, run.Token);
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
                await publisher.HandOverToWebhookAsync(video);
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
            case SettleAction.HandOverOutcome: await publisher.HandOverToWebhookAsync(video); break;
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
}
