namespace VidPress.Core.Jobs;

/// <summary>The Hangfire queues: videos on `render`, ingests and webhooks on `default` (CPU workers), still generation on `gpu`.</summary>
public static class JobQueues
{
    public const string Render = "render";
    public const string Default = "default";
    public const string Gpu = "gpu";
}
