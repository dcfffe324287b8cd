using System.Diagnostics.Metrics;
using Hangfire;
using VidPress.Core.Telemetry;

namespace VidPress.Core.Jobs;

/// <summary>
/// vidpress.queue.depth: jobs waiting in each Hangfire queue (enqueued, not yet fetched by a worker), from the
/// database, so every host reports the same figure however many workers there are. It is what the workers'
/// autoscaler follows (deploy/k8s: KEDA counts the same rows). Cached briefly: every scrape would otherwise query.
/// </summary>
public sealed class QueueDepthGauge
{
    private static readonly IReadOnlyList<string> Queues = JobQueues.All;
    private readonly JobStorage _storage;

    public QueueDepthGauge(IMeterFactory meters, JobStorage storage)
    {
        _storage = storage;
        // Held by the meter through its callback for as long as the meter lives.
        _ = new CachedGauge(meters.Create(PipelineMetrics.Name), "vidpress.queue.depth", "{job}", "Jobs waiting in each Hangfire queue for a worker.",
            TimeSpan.FromSeconds(5), Read);
    }

    private Measurement<long>[] Read()
    {
        try
        {
            var monitoring = _storage.GetMonitoringApi();
            return [.. Queues.Select(q => new Measurement<long>(monitoring.EnqueuedCount(q), new KeyValuePair<string, object?>("queue", q)))];
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The database is away: no figure rather than a failed scrape (the other series still matter then).
            return [];
        }
    }
}

/// <summary>The name this process's Hangfire server announces itself with (machine and process), so a health check can find its heartbeat.</summary>
public static class JobServerName
{
    public static string ForThisProcess { get; } = $"{Environment.MachineName}-{Environment.ProcessId}".ToLowerInvariant();

    /// <summary>Whether a server id from Hangfire's server list (the name, then ":" and Hangfire's own parts) is this process's.</summary>
    public static bool IsThisProcess(string serverId) =>
        serverId.Equals(ForThisProcess, StringComparison.OrdinalIgnoreCase) || serverId.StartsWith(ForThisProcess + ":", StringComparison.OrdinalIgnoreCase);
}
