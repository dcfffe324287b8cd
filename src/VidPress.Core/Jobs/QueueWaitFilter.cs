using Hangfire;
using Hangfire.Server;
using Hangfire.States;
using VidPress.Core.Telemetry;

namespace VidPress.Core.Jobs;

/// <summary>
/// Records how long each job waited in its queue: from its latest move to Enqueued (first enqueue, a retry's
/// or a schedule's due time) to a worker starting it. Read from the job's state history, so it is right whichever
/// host enqueued it. Never fails the job: a figure it cannot read is left out.
/// </summary>
public sealed class QueueWaitFilter(JobStorage storage) : IServerFilter
{
    public void OnPerforming(PerformingContext context)
    {
        try
        {
            var history = storage.GetMonitoringApi().JobDetails(context.BackgroundJob.Id)?.History;
            var enqueued = history?.FirstOrDefault(h => h.StateName == EnqueuedState.StateName);
            if (enqueued is null) return;
            // A job enqueued on a queue of its own choosing (a video's priority: VideoQueue) carries it in Job.Queue, which
            // Hangfire uses over the state's; the state's data then still says "default".
            var queue = context.BackgroundJob.Job?.Queue is { Length: > 0 } own ? own
                : enqueued.Data is { } data && data.TryGetValue("Queue", out var q) ? q : "default";
            var started = history!.FirstOrDefault(h => h.StateName == ProcessingState.StateName)?.CreatedAt ?? DateTime.UtcNow;
            ServiceMetrics.RecordQueueWait(queue, JobName(context.BackgroundJob.Job?.Type), started - enqueued.CreatedAt);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
        }
    }

    public void OnPerformed(PerformedContext context)
    {
    }

    /// <summary>The job label: the class without "Job" in lower case (video, webhook, assetingest, stillgeneration).</summary>
    public static string JobName(Type? type) =>
        type is null ? "unknown" : (type.Name.EndsWith("Job", StringComparison.Ordinal) ? type.Name[..^3] : type.Name).ToLowerInvariant();
}
