using Hangfire;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Media;
using VidPress.Core.Videos;

namespace VidPress.Core.Jobs;

/// <summary>
/// Publishes a run's renders: the MP4s and posters move into storage and the video is marked succeeded in one
/// transaction that holds the row only while the run's token is the latest (a superseded run publishes nothing); then the
/// outcome goes to the webhook. The video stays in stage Delivery until the webhook is handed over, so a run that dies in
/// between is finished by the next.
/// </summary>
public sealed class VideoPublisher(VideoLifecycle lifecycle, IMediaStorage storage, IBackgroundJobClient jobs)
{
    /// <summary>Publishes <see cref="VideoRun.Renders"/>; a run that rendered nothing (an earlier run stored the files) publishes the row alone.</summary>
    public async Task PublishAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var (video, renders) = (run.Video, run.Renders);
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
            var hashes = await Task.WhenAll(renders.Select(r => HashAsync(r.Rendered.VideoPath, cancellationToken)));
            video.Outputs = renders.Select((r, n) => new VideoOutput(r.Format.AspectRatio, r.Format.Resolution, r.Format.Width, r.Format.Height,
                keys[n].Video, keys[n].Poster, hashes[n])).ToList();
        }
        if (!lifecycle.Publish(video, run.Token)) throw new RunStoppedException();
        cancellationToken.ThrowIfCancellationRequested();
        // Not cancellable once the row is held: a cancel request that arrives now waits for the commit and finds the video done.
        bool published;
        try
        {
            published = await lifecycle.TrySaveHeldAsync(video, run.Token, async () =>
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
        // The renders are in storage: the run's scratch goes before the outcome is handed on, so a video seen done has
        // left nothing behind (a folder that will not go now is the sweeper's).
        try { run.Dispose(); }
        catch (IOException) { }
        await HandOverToWebhookAsync(video);
    }

    /// <summary>The file's SHA-256 (lower-case hex): what its download's ETag says, so a re-render's file is never taken for the last one's.</summary>
    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var file = File.OpenRead(path);
        return Convert.ToHexStringLower(await System.Security.Cryptography.SHA256.HashDataAsync(file, cancellationToken));
    }

    /// <summary>
    /// Enqueues the outcome's webhook, then leaves stage Delivery. A crash between the two enqueues it twice;
    /// <see cref="WebhookJob"/> delivers an event once however often it is enqueued. The event names the run that
    /// ended (its token, still the video's <see cref="Video.Attempt"/>): each run's outcome is its own event.
    /// </summary>
    public async Task HandOverToWebhookAsync(Video video)
    {
        var eventType = WebhookEvents.For(video.Status)!;
        var (videoId, run) = (video.Id, video.Attempt);
        if (!string.IsNullOrEmpty(video.Request.CallbackUrl))
            jobs.Enqueue<WebhookJob>(j => j.DeliverAsync(videoId, eventType, 1, run, CancellationToken.None));
        await lifecycle.HandBackAsync(video.Id);
    }
}
