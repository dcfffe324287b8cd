namespace VidPress.Core.Delivery;

/// <summary>The body of a webhook event (Standard Webhooks: type, timestamp, data).</summary>
public sealed record WebhookPayload(string Type, string Timestamp, WebhookVideo Data);

/// <summary>
/// The video an event tells of: its outcome, the caller's own <see cref="Reference"/> and <see cref="Metadata"/> as they
/// were sent, and absolute links.
/// </summary>
/// <param name="Status">"succeeded" or "failed", as GET /videos/{id} writes the status.</param>
public sealed record WebhookVideo(
    Guid VideoId, string Status, string? Reference, IReadOnlyDictionary<string, string>? Metadata, double? DurationSeconds, string? Error,
    WebhookLinks Links);

/// <param name="Self">GET /videos/{id} (API key).</param>
/// <param name="File">The main MP4 (API key).</param>
/// <param name="Download">The main MP4, signed: no API key until it expires.</param>
/// <param name="Downloads">Every rendered format's MP4, signed, by format name ("16x9-720p", "9x16-1080p").</param>
/// <param name="Subtitles">The subtitles as SRT and WebVTT (API key).</param>
/// <param name="SubtitlesDownload">The subtitles as SRT and WebVTT, signed (for a player's &lt;track&gt;).</param>
public sealed record WebhookLinks(
    string Self, string? File = null, string? Download = null, IReadOnlyDictionary<string, string>? Downloads = null,
    SubtitleLinks? Subtitles = null, SubtitleLinks? SubtitlesDownload = null);
