using VidPress.Core;

namespace VidPress.Api.Infrastructure;

/// <summary>How /health runs the tools it checks; bound from the "Health" section.</summary>
public sealed class ToolHealthOptions
{
    public const string SectionName = "Health";

    /// <summary>How long a tool's answer is trusted: the tools are processes, and a scrape every few seconds should not fork them.</summary>
    [Duration("00:00:00", "1.00:00:00")]
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromMinutes(1);
    [Duration("00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);
}
