using Hangfire;
using Hangfire.Storage;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Videos;

namespace VidPress.Core.Jobs;

/// <summary>A request the queue has no room for: try again after <see cref="RetryAfter"/>.</summary>
public sealed record QueueFull(int Queued, int Limit, TimeSpan RetryAfter);

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

    /// <summary>Null when the tenant's queue has room for one more video; otherwise how full it is and when to try again.</summary>
    public async Task<QueueFull?> AdmitAsync(Guid tenantId, VideoPriority priority, CancellationToken cancellationToken)
    {
        var figures = await lifecycle.QueueFiguresAsync(tenantId, priority, _options.RunsMeasured, cancellationToken);
        if (figures.TenantQueued < _options.MaxQueuedVideosPerTenant) return null;
        var meanRun = figures.RecentRuns.Count == 0 ? _options.AssumedRunDuration
            : TimeSpan.FromTicks((long)figures.RecentRuns.Average(r => r.Ticks));
        return new QueueFull(figures.TenantQueued, _options.MaxQueuedVideosPerTenant,
            RetryAfter(figures.WaitingAhead, meanRun, VideoWorkers(), _options.RetryAfterFloor, _options.RetryAfterCap));
    }

    /// <summary>
    /// When a full tenant queue has room again: its next video starts once the <paramref name="waitingAhead"/> videos
    /// with the workers before it (at its priority or above) and itself have been taken, <paramref name="workers"/>
    /// at a time, each taking <paramref name="meanRun"/>: ⌈(waitingAhead + 1) / workers⌉ × meanRun, whole seconds,
    /// within [<paramref name="floor"/>, <paramref name="cap"/>].
    /// </summary>
    public static TimeSpan RetryAfter(int waitingAhead, TimeSpan meanRun, int workers, TimeSpan floor, TimeSpan cap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(waitingAhead);
        var rounds = Math.Ceiling((waitingAhead + 1) / (double)Math.Max(1, workers));
        var seconds = Math.Ceiling(rounds * Math.Max(0, meanRun.TotalSeconds));
        return TimeSpan.FromSeconds(Math.Clamp(seconds, Math.Ceiling(floor.TotalSeconds), Math.Floor(cap.TotalSeconds)));
    }

    /// <summary>Workers of the Hangfire servers that serve videos, as they announce themselves (at least one).</summary>
    private int VideoWorkers()
    {
        IList<Hangfire.Storage.Monitoring.ServerDto> servers = storage.GetMonitoringApi().Servers();
        return Math.Max(1, servers.Where(s => s.Queues.Contains(JobQueues.Render)).Sum(s => s.WorkersCount));
    }
}
