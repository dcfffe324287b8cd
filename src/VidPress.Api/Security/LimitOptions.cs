using VidPress.Core;

namespace VidPress.Api.Security;

/// <summary>Request rates and body sizes; bound from the "Limits" section.</summary>
public sealed class LimitOptions
{
    public const string SectionName = "Limits";

    /// <summary>Requests per minute for a tenant without its own limit, and per client address without a key.</summary>
    [Between(1, 10_000_000)]
    public int RequestsPerMinute { get; set; } = 600;
    /// <summary>The largest body of a JSON endpoint; uploads have their own limit (Library:MaxUploadBytes).</summary>
    [Between(1024, 1024 * 1024 * 1024)]
    public long MaxJsonBodyBytes { get; set; } = 1024 * 1024;
}
