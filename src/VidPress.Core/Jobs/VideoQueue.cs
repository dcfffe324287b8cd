using Hangfire;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Videos;

namespace VidPress.Core.Jobs;

/// <summary>One Hangfire queue: jobs waiting for a worker, and (video queues) the mean wait of the latest runs, handed over → started.</summary>
public sealed record QueueDepth(string Name, long Waiting, double? MeanWaitSeconds);

/// <summary>The queues, and the tenant's own videos in them: held back by its share, and with the workers.</summary>
public sealed record QueueView(IReadOnlyList<QueueDepth> Queues, int Held, int WithWorkers, int Share, int MaxQueued);

/// <summary>
/// Where a video's runs meet Hangfire: which queue they wait on (<see cref="JobQueues.ForVideo"/>), how many of a
/// tenant's videos are with the workers at once (<see cref="JobOptions.TenantShare"/>, the choice made by
/// <see cref="HeldVideos"/> and applied by <see cref="VideoLifecycle.DispatchHeldAsync"/>), and whether a new video
/// fits in its tenant's queue (<see cref="JobOptions.MaxQueuedVideosPerTenant"/>, with a Retry-After from the queue).
/// Every enqueue of a <see cref="VideoJob"/> goes through here.
/// </summary>
public sealed class VideoQueue(VideoLifecycle lifecycle, IBackgroundJobClient jobs, JobStorage storage, IOptions<JobOptions> options)
{
    private readonly JobOptions _options = options.Value;

    /// <summary>The recurring sweep's Hangfire id.</summary>
    public const string SweepJobId = "dispatch-held-videos";

    /// <summary>Stores a new video and hands it to the workers if its tenant's share has room (else it waits held).</summary>
    public Task CreateAsync(Video video, CancellationToken cancellationToken) =>
        lifecycle.CreateAsync(video, _options.TenantShare, Enqueue, cancellationToken);

    /// <summary>Hands the tenant's held videos to the workers as far as its share allows (after a retry, an edit, a run's end).</summary>
    public Task<int> DispatchAsync(Guid tenantId, CancellationToken cancellationToken) =>
        lifecycle.DispatchHeldAsync(tenantId, _options.TenantShare, Enqueue, cancellationToken);

    /// <summary>
    /// The recurring sweep: hands over what a dispatch missed (a worker that died between a run's end and its
    /// tenant's next dispatch, a share raised by configuration).
    /// </summary>
    [Queue(JobQueues.Default)]
    [AutomaticRetry(Attempts = 0)]
    public Task SweepAsync(CancellationToken cancellationToken) =>
        lifecycle.DispatchHeldAsync(null, _options.TenantShare, Enqueue, cancellationToken);

    /// <summary>Enqueues a run of a video that is already with the workers (a video back from still generation).</summary>
    public void EnqueueRun(Guid videoId, VideoPriority priority) => Enqueue(videoId, priority);

    private void Enqueue(Guid videoId, VideoPriority priority) =>
        jobs.Enqueue<VideoJob>(JobQueues.ForVideo(priority), j => j.RunAsync(videoId, CancellationToken.None));

    /// <summary>
    /// The queues as the dashboard shows them: each Hangfire queue's depth (jobs waiting for a worker, all tenants), the
    /// video queues' mean wait over their latest runs, and the tenant's own held and handed-over videos.
    /// </summary>
    public async Task<QueueView> ViewAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        var monitoring = storage.GetMonitoringApi();
        var queues = new List<QueueDepth>();
        foreach (var queue in JobQueues.All)
        {
            double? wait = null;
            if (queue is JobQueues.Breaking or JobQueues.Render)
            {
                var waits = await lifecycle.RecentWaitsAsync(queue == JobQueues.Breaking ? VideoPriority.Breaking : VideoPriority.Normal, _options.RunsMeasured, cancellationToken);
                if (waits.Count > 0) wait = Math.Round(waits.Average(w => w.TotalSeconds), 2);
            }
            queues.Add(new QueueDepth(queue, monitoring.EnqueuedCount(queue), wait));
        }
        var (held, withWorkers) = await lifecycle.TenantQueueAsync(tenantId, cancellationToken);
        return new QueueView(queues, held, withWorkers, _options.TenantShare, _options.MaxQueuedVideosPerTenant);
    }

    /// <summary>Null when the tenant's queue has room for one more video; otherwise how full it is and when to try again.</summary>
    public async Task<QueueFull?> AdmitAsync(Guid tenantId, VideoPriority priority, CancellationToken cancellationToken)
    {
        var figures = await lifecycle.QueueFiguresAsync(tenantId, priority, _options.RunsMeasured, cancellationToken);
        if (figures.TenantQueued < _options.MaxQueuedVideosPerTenant) return null;
        var meanRun = figures.RecentRuns.Count == 0 ? _options.AssumedRunDuration
            : TimeSpan.FromTicks((long)figures.RecentRuns.Average(r => r.Ticks));
        return new QueueFull(figures.TenantQueued, _options.MaxQueuedVideosPerTenant,
            Backpressure.ForVideos(figures.WaitingAhead, meanRun, Backpressure.Workers(storage, JobQueues.Render), _options.RetryAfterFloor, _options.RetryAfterCap));
    }
}
