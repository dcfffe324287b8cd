using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using VidPress.Core.Data;
using VidPress.Core.Delivery;

namespace VidPress.Core.Jobs;

/// <summary>
/// Delivers webhooks durably: a failed attempt schedules the next one, with growing, jittered delays over
/// hours. The next attempt is scheduled here rather than by <see cref="AutomaticRetryAttribute"/> because an
/// attribute cannot read configuration, and tests and operators need to set the delays.
/// </summary>
public sealed class WebhookJob(WebhookSender sender, IBackgroundJobClient jobs, IOptions<WebhookOptions> options, VidPressDbContext db, TimeProvider clock, ILogger<WebhookJob> logger)
{
    /// <summary>
    /// Makes attempt <paramref name="attempt"/> of the event a video's run <paramref name="run"/> (its fencing token,
    /// <see cref="Video.Attempt"/>) ended with. Each run's outcome is its own event: a video that fails, is retried and
    /// fails again sends two video.failed events, while the same run's outcome handed over twice is still one.
    /// Hangfire's own retries only cover this job failing itself (database down, process killed).
    /// </summary>
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 3600])]
    [Queue(JobQueues.Default)]
    public async Task DeliverAsync(Guid videoId, string eventType, int attempt, int run, CancellationToken cancellationToken)
    {
        // The video job may enqueue one event twice (it died between enqueueing and recording that it did).
        // Deliveries of one event never run side by side, and the sender skips an event already delivered.
        // A session lock dies with its connection, so a worker that dies mid-delivery blocks nobody.
        var key = $"{videoId}:{eventType}:{run}";
        await using var lockSession = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockSession.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@id, 0))", lockSession))
        {
            take.Parameters.AddWithValue("id", key);
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        WebhookOutcome outcome;
        try
        {
            outcome = await sender.DeliverAsync(videoId, eventType, run, attempt, cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@id, 0))", lockSession);
            release.Parameters.AddWithValue("id", key);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        if (outcome.Delivered || outcome.Attempt == 0) return;
        // An attempt made already still schedules the next one: when this job's worker died after the attempt
        // but before scheduling, this re-run is the only one that will. A second job for the next attempt is
        // harmless, as the sender makes each attempt once.
        if (WebhookRetry.DelayAfter(outcome.Attempt, options.Value, Random.Shared) is not { } delay)
        {
            if (!outcome.AlreadyMade) logger.LogWarning("Webhook {EventType} of video {VideoId} run {Run} given up after {Attempts} attempts", eventType, videoId, run, outcome.Attempt);
            return;
        }
        var next = outcome.Attempt + 1;
        jobs.Schedule<WebhookJob>(j => j.DeliverAsync(videoId, eventType, next, run, CancellationToken.None), WebhookRetry.DueAt(clock.GetUtcNow(), delay));
    }

    /// <summary>
    /// A job enqueued before deliveries named their run (still in Hangfire's queue after an upgrade): it is taken to
    /// be about the video's latest run, which the sender drops if that run did not end with this event.
    /// </summary>
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 3600])]
    [Queue(JobQueues.Default)]
    public async Task DeliverAsync(Guid videoId, string eventType, int attempt, CancellationToken cancellationToken)
    {
        var run = await db.Videos.Where(v => v.Id == videoId).Select(v => (int?)v.Attempt).SingleOrDefaultAsync(cancellationToken);
        if (run is null) return;
        await DeliverAsync(videoId, eventType, attempt, run.Value, cancellationToken);
    }
}
