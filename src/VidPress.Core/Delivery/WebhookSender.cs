using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Data;
using VidPress.Core.Media;
using VidPress.Core.Network;
using VidPress.Core.Telemetry;

namespace VidPress.Core.Delivery;

/// <summary>
/// What one delivery attempt came to. <see cref="Attempt"/> is 0 when there was nothing to send;
/// <see cref="AlreadyMade"/> says the attempt asked for had been made before (by a duplicate job, or by this
/// job before its worker died) and nothing was sent now.
/// </summary>
public sealed record WebhookOutcome(int Attempt, bool Delivered, bool AlreadyMade = false);

public static class WebhookEvents
{
    public const string VideoSucceeded = "video.succeeded";
    public const string VideoFailed = "video.failed";

    /// <summary>The event a video's outcome is told by; null while it has none (queued, running, cancelled).</summary>
    public static string? For(VideoStatus status) => status switch
    {
        VideoStatus.Succeeded => VideoSucceeded,
        VideoStatus.Failed => VideoFailed,
        _ => null,
    };
}

/// <summary>
/// Delivers one webhook event per the Standard Webhooks specification. The webhook id is derived from
/// the video, the run whose outcome it tells (<see cref="Video.Attempt"/>, the run's fencing token) and the event,
/// so every retry of the same event carries the same id and receivers can drop duplicates, while each run's
/// outcome (a second failure after a retry, a success after an edit) is an event of its own. Every attempt is logged in webhook_deliveries. The body is signed with the tenant's
/// secret, or the service-wide one for tenants without their own.
/// </summary>
public sealed class WebhookSender(
    VidPressDbContext db,
    IHttpClientFactory httpClientFactory,
    IOptions<WebhookOptions> options,
    IOptions<NetworkOptions> networkOptions,
    DownloadLinks downloadLinks,
    TimeProvider clock,
    ILogger<WebhookSender> logger)
{
    private readonly WebhookOptions _options = options.Value;

    /// <summary>One id per event of one run: retries of its delivery share it; the video's next run gets another.</summary>
    public static string WebhookIdFor(Guid videoId, string eventType, int run) =>
        $"msg_{videoId:N}_{eventType.Replace('.', '_')}_run{run}";

    /// <summary>
    /// Makes attempt number <paramref name="attempt"/> of the event run <paramref name="run"/> ended with, unless an
    /// earlier attempt already got through or that attempt has been made already; the caller decides about retries.
    /// The caller must hold the event's lock.
    /// </summary>
    public async Task<WebhookOutcome> DeliverAsync(Guid videoId, string eventType, int run, int attempt, CancellationToken cancellationToken)
    {
        var video = await db.Videos.AsNoTracking().SingleAsync(v => v.Id == videoId, cancellationToken);
        var url = video.Request.CallbackUrl;
        if (string.IsNullOrEmpty(url)) return new WebhookOutcome(0, false);
        // The event is about the video as that run left it. A retry that finds it made again since (an editor
        // re-rendering a succeeded video, a failed one retried) has nothing true to say: the new run's outcome sends
        // its own event, and this one, sent now, would carry the new run's state under an event it did not have.
        if (video.Attempt != run || WebhookEvents.For(video.Status) != eventType)
        {
            logger.LogInformation("Webhook {EventType} of video {VideoId} run {Run} dropped: the video is {Status} at run {Attempt} now",
                eventType, video.Id, run, video.Status, video.Attempt);
            return new WebhookOutcome(0, false);
        }

        var webhookId = WebhookIdFor(video.Id, eventType, run);
        // A job that runs twice (Hangfire runs at least once) must not deliver an event the receiver already has.
        var earlier = await db.WebhookDeliveries.Where(d => d.VideoId == video.Id && d.EventType == eventType && d.Run == run)
            .Select(d => new { d.Attempt, d.Succeeded }).ToListAsync(cancellationToken);
        if (earlier.FirstOrDefault(d => d.Succeeded) is { } delivered) return new WebhookOutcome(delivered.Attempt, true);
        // Two jobs for one attempt (the event enqueued twice, or a retry scheduled twice) send it once, so
        // retries keep their spacing instead of two chains of retries hitting the receiver back to back.
        if (earlier.Count >= attempt) return new WebhookOutcome(attempt, false, AlreadyMade: true);
        var secret = await db.Tenants.Where(t => t.Id == video.TenantId).Select(t => t.WebhookSecret).SingleOrDefaultAsync(cancellationToken) ?? _options.Secret!;
        var body = JsonSerializer.Serialize(Payload(video, eventType), DocumentJson.Options);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        var number = earlier.Count + 1;
        var delivery = new WebhookDelivery
        {
            Id = Guid.NewGuid(), TenantId = video.TenantId, VideoId = video.Id, WebhookId = webhookId, EventType = eventType, Run = run,
            Url = url, Attempt = number, CreatedAt = clock.GetUtcNow(),
        };
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, OutboundHttp.ValidateUrl(url))
            {
                Content = new StringContent(body, Encoding.UTF8, new MediaTypeHeaderValue("application/json")),
            };
            request.Headers.Add("webhook-id", webhookId);
            request.Headers.Add("webhook-timestamp", timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
            request.Headers.Add("webhook-signature", Sign(secret, webhookId, timestamp, body));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(networkOptions.Value.Timeout);
            // Only the status counts: the receiver's body is never read (a broken one could send anything).
            using var response = await httpClientFactory.CreateClient(OutboundHttp.WebhookClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            delivery.StatusCode = (int)response.StatusCode;
            delivery.Succeeded = response.IsSuccessStatusCode;
            if (!delivery.Succeeded) delivery.Error = $"receiver answered {(int)response.StatusCode}";
        }
        catch (Exception e) when (e is HttpRequestException or BlockedDestinationException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            delivery.Error = e.InnerException is BlockedDestinationException blocked ? blocked.Message : e.Message;
        }
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync(CancellationToken.None);
        ServiceMetrics.RecordWebhookAttempt(delivery.Succeeded ? ServiceMetrics.WebhookOutcome.Delivered
            : delivery.StatusCode is not null ? ServiceMetrics.WebhookOutcome.Rejected : ServiceMetrics.WebhookOutcome.Unreachable);
        logger.LogInformation("Webhook {WebhookId} attempt {Attempt} to {Url}: {Outcome}", webhookId, number, url, delivery.Succeeded ? "delivered" : delivery.Error);
        return new WebhookOutcome(number, delivery.Succeeded);
    }

    private WebhookPayload Payload(Video video, string eventType)
    {
        string Absolute(string path) => PublicUrls.Absolute(_options.PublicBaseUrl, path);
        var links = new WebhookLinks(Absolute(PublicUrls.Video(video.Id)));
        if (video.OutputKey is not null)
        {
            var formats = video.Outputs.Select(o => StorageKeys.FormatName(o.AspectRatio, o.Resolution));
            var signed = downloadLinks.For(video.Id, formats, subtitles: video.Timeline is not null);
            links = links with
            {
                File = Absolute(PublicUrls.VideoFile(video.Id)),
                Download = Absolute(signed.Download),
                Downloads = signed.Downloads.ToDictionary(d => d.Key, d => Absolute(d.Value)),
                Subtitles = video.Timeline is null ? null : new SubtitleLinks(PublicUrls.VideoSubtitles(video.Id, SubtitleFormat.Srt),
                    PublicUrls.VideoSubtitles(video.Id, SubtitleFormat.Vtt)).Select(Absolute),
                SubtitlesDownload = signed.Subtitles?.Select(Absolute),
            };
        }
        return new WebhookPayload(eventType, (video.FinishedAt ?? video.UpdatedAt).ToString("O"),
            new WebhookVideo(video.Id, JsonNamingPolicy.CamelCase.ConvertName(video.Status.ToString()), video.Reference, video.Metadata, video.DurationSeconds, video.Error, links));
    }

    /// <summary>Standard Webhooks signature: v1,base64(HMAC-SHA256(secret, "id.timestamp.body")).</summary>
    public static string Sign(string secret, string webhookId, long timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(signature);
    }
}

