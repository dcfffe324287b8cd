namespace VidPress.Core.Network;

/// <summary>How the service reaches URLs callers gave it (articles, webhooks); bound from the "Network" section.</summary>
public sealed class NetworkOptions
{
    public const string SectionName = "Network";

    /// <summary>
    /// Lets article fetches and webhooks reach this machine: loopback (127.0.0.0/8, ::1) and every address of its own
    /// network interfaces. Off by default; for development setups, tests and the local demo only. Private and
    /// reserved ranges stay refused either way (unless one is this machine's own address).
    /// </summary>
    public bool AllowLoopback { get; set; }
    [AtLeast(1)]
    public long MaxResponseBytes { get; set; } = 5 * 1024 * 1024;
    [Duration("00:00:01", "01:00:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(20);
    [Between(0, 20)]
    public int MaxRedirects { get; set; } = 5;

    /// <summary>
    /// Loopback ports a test may reach even with <see cref="AllowLoopback"/> off, so one hop can be a local
    /// test server while every other hop (a redirect, say) is still checked like production. Not bindable
    /// from configuration, so no deployment can turn it on.
    /// </summary>
    internal IReadOnlySet<int> LoopbackPortsForTests { get; set; } = new HashSet<int>();
}
