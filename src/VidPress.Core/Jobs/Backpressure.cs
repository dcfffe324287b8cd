using Hangfire;

namespace VidPress.Core.Jobs;

/// <summary>A request the queue has no room for: <see cref="InQueue"/> of <see cref="Limit"/> (videos or bytes) taken; try again after <see cref="RetryAfter"/>.</summary>
public sealed record QueueFull(long InQueue, long Limit, TimeSpan RetryAfter);

/// <summary>
/// When a full queue has room again, reckoned from the queue itself (pure), and how many workers serve a queue.
/// Both answers are whole seconds within a floor and a cap (<see cref="JobOptions.RetryAfterFloor"/>, <see cref="JobOptions.RetryAfterCap"/>).
/// </summary>
public static class Backpressure
{
    /// <summary>
    /// Videos: the tenant's next video starts once the <paramref name="waitingAhead"/> videos with the workers before
    /// it (at its priority or above) and itself have been taken, <paramref name="workers"/> at a time, each taking
    /// <paramref name="meanRun"/>: ⌈(waitingAhead + 1) / workers⌉ × meanRun.
    /// </summary>
    public static TimeSpan ForVideos(int waitingAhead, TimeSpan meanRun, int workers, TimeSpan floor, TimeSpan cap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(waitingAhead);
        var rounds = Math.Ceiling((waitingAhead + 1) / (double)Math.Max(1, workers));
        return Clamp(rounds * Math.Max(0, meanRun.TotalSeconds), floor, cap);
    }

    /// <summary>
    /// Uploads: the <paramref name="excessBytes"/> beyond the tenant's limit must be ingested first, by
    /// <paramref name="workers"/> ingest jobs at once, each at <paramref name="bytesPerSecond"/>.
    /// </summary>
    public static TimeSpan ForIngest(long excessBytes, double bytesPerSecond, int workers, TimeSpan floor, TimeSpan cap)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(excessBytes);
        return Clamp(excessBytes / (Math.Max(1, bytesPerSecond) * Math.Max(1, workers)), floor, cap);
    }

    private static TimeSpan Clamp(double seconds, TimeSpan floor, TimeSpan cap) =>
        TimeSpan.FromSeconds(Math.Clamp(Math.Ceiling(seconds), Math.Ceiling(floor.TotalSeconds), Math.Floor(cap.TotalSeconds)));

    /// <summary>Workers of the Hangfire servers that serve <paramref name="queue"/>, as they announce themselves (at least one).</summary>
    public static int Workers(JobStorage storage, string queue) =>
        Math.Max(1, storage.GetMonitoringApi().Servers().Where(s => s.Queues.Contains(queue)).Sum(s => s.WorkersCount));
}
