namespace VidPress.Worker.Infrastructure;

/// <summary>
/// The worker's own HTTP port (<c>Worker:</c>): <c>/metrics</c> (Prometheus), <c>/health</c> (readiness: the database
/// answers and this process's Hangfire server has a fresh heartbeat) and <c>/health/live</c> (the process answers).
/// Off unless <see cref="MetricsPort"/> is set; the images set 9464 on all interfaces.
/// </summary>
public sealed class WorkerEndpointOptions
{
    /// <summary>0 (the default) serves nothing.</summary>
    public int MetricsPort { get; set; }
    /// <summary>
    /// The address it listens on: 127.0.0.1 by default (this machine only); "*" for every interface, as a container
    /// needs for Prometheus and probes. The figures are service-wide and unauthenticated: keep the port off the public
    /// network (deploy/k8s: a NetworkPolicy).
    /// </summary>
    public string MetricsHost { get; set; } = "127.0.0.1";
    /// <summary>A Hangfire server heartbeat older than this makes /health unhealthy (Hangfire beats every 30 s).</summary>
    public TimeSpan HeartbeatMaxAge { get; set; } = TimeSpan.FromSeconds(90);
    /// <summary>How long the database check may take.</summary>
    public TimeSpan DatabaseTimeout { get; set; } = TimeSpan.FromSeconds(3);
}
