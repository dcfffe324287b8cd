using Hangfire;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using VidPress.Core.Data;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Delivery;

namespace VidPress.Core.Jobs;

/// <summary>
/// Delivers webhooks durably: a failed attempt schedules the next one, with growing, jittered delays over
/// hours. The next attempt is scheduled here rather than by <see cref="AutomaticRetryAttribute"/> because an
/// attribute cannot read configuration, and tests and operators need to set the delays.
/// </summary>
public sealed class WebhookJob(WebhookSender sender, IBackgroundJobClient jobs, IOptions<WebhookOptions> options, VidPressDbContext db, TimeProvider clock, ILogger<WebhookJob> logger)
{
    /// <summary>Hangfire's own retries only cover this job failing itself (database down, process killed).</summary>
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 3600])]
    [Queue(JobQueues.Default)]
    public async Task DeliverAsync(Guid videoId, string eventType, int attempt, CancellationToken cancellationToken)
    {
        // The video job may enqueue one event twice (it died between enqueueing and recording that it did).
        // Deliveries of one event never run side by side, and the sender skips an event already delivered.
        // A session lock dies with its connection, so a worker that dies mid-delivery blocks nobody.
        await using var lockSession = new NpgsqlConnection(db.Database.GetConnectionString());
        await lockSession.OpenAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock(hashtextextended(@id, 0))", lockSession))
        {
            take.Parameters.AddWithValue("id", $"{videoId}:{eventType}");
            await take.ExecuteNonQueryAsync(cancellationToken);
        }
        WebhookOutcome outcome;
        try
        {
            outcome = await sender.DeliverAsync(videoId, eventType, attempt, cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(hashtextextended(@id, 0))", lockSession);
            release.Parameters.AddWithValue("id", $"{videoId}:{eventType}");
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
        if (outcome.Delivered || outcome.Attempt == 0) return;
        // An attempt made already still schedules the next one: when this job's worker died after the attempt
        // but before scheduling, this re-run is the only one that will. A second job for the next attempt is
        // harmless, as the sender makes each attempt once.
        if (WebhookRetry.DelayAfter(outcome.Attempt, options.Value, Random.Shared) is not { } delay)
        {
            if (!outcome.AlreadyMade) logger.LogWarning("Webhook {EventType} of video {VideoId} given up after {Attempts} attempts", eventType, videoId, outcome.Attempt);
            return;
        }
        var next = outcome.Attempt + 1;
        jobs.Schedule<WebhookJob>(j => j.DeliverAsync(videoId, eventType, next, CancellationToken.None), WebhookRetry.DueAt(clock.GetUtcNow(), delay));
    }
}
