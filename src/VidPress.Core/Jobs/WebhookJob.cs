using Hangfire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Delivery;

namespace VidPress.Core.Jobs;

/// <summary>
/// Delivers webhooks durably: a failed attempt schedules the next one, with growing, jittered delays over
/// hours. The next attempt is scheduled here rather than by <see cref="AutomaticRetryAttribute"/> because an
/// attribute cannot read configuration, and tests and operators need to set the delays.
/// </summary>
public sealed class WebhookJob(WebhookSender sender, IBackgroundJobClient jobs, IOptions<WebhookOptions> options, ILogger<WebhookJob> logger)
{
    /// <summary>Hangfire's own retries only cover this job failing itself (database down, process killed).</summary>
    [AutomaticRetry(Attempts = 5, DelaysInSeconds = [10, 60, 300, 900, 3600])]
    [Queue(JobQueues.Default)]
    public async Task DeliverAsync(Guid videoId, string eventType, CancellationToken cancellationToken)
    {
        var outcome = await sender.DeliverAsync(videoId, eventType, cancellationToken);
        if (outcome.Delivered || outcome.Attempt == 0) return;
        if (WebhookRetry.DelayAfter(outcome.Attempt, options.Value, Random.Shared) is not { } delay)
        {
            logger.LogWarning("Webhook {EventType} of video {VideoId} given up after {Attempts} attempts", eventType, videoId, outcome.Attempt);
            return;
        }
        jobs.Schedule<WebhookJob>(j => j.DeliverAsync(videoId, eventType, CancellationToken.None), delay);
    }
}
