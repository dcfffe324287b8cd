using System.Diagnostics.Metrics;

namespace VidPress.Core.Telemetry;

/// <summary>
/// The service's operational figures beside the pipeline's (Jobs/PipelineMetrics), under the same meter name
/// "VidPress" the hosts subscribe to: how long jobs wait in their queue, how long a video takes from its request to
/// its publication, how webhook attempts end, and how fast the library ingests. Stages and jobs call it; it
/// knows nothing of them.
/// </summary>
public static class ServiceMetrics
{
    public const string MeterName = "VidPress";

    private static readonly Meter Meter = new(MeterName);

    private static readonly Histogram<double> QueueWait = Meter.CreateHistogram<double>(
        "vidpress.queue.wait", "s", "Time a job waited in its Hangfire queue, from being enqueued to a worker starting it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600] });

    private static readonly Histogram<double> VideoEndToEnd = Meter.CreateHistogram<double>(
        "vidpress.video.end_to_end", "s", "Time from a video's request to its publication (succeeded), retries and waits included.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [5, 10, 20, 30, 60, 120, 300, 600, 1200, 3600, 14400] });

    private static readonly Counter<long> WebhookAttempts = Meter.CreateCounter<long>(
        "vidpress.webhook.attempts", null, "Webhook delivery attempts by outcome: delivered (2xx), rejected (another status), unreachable (no answer, timeout, blocked address).");

    private static readonly Histogram<double> IngestSpeed = Meter.CreateHistogram<double>(
        "vidpress.ingest.speed", null, "Seconds of footage ingested per second of wall time (scene pass, keyframes, CLIP, thumbnails).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 20, 50, 100, 200] });

    private static readonly Counter<long> IngestBytes = Meter.CreateCounter<long>(
        "vidpress.ingest.bytes", "By", "Bytes of uploaded media ingested into the library, by asset kind.");

    private static readonly Counter<double> IngestMediaSeconds = Meter.CreateCounter<double>(
        "vidpress.ingest.media", "s", "Seconds of footage ingested into the library.");

    /// <summary>Webhook attempt outcomes, the values of the outcome label.</summary>
    public static class WebhookOutcome
    {
        public const string Delivered = "delivered";
        public const string Rejected = "rejected";
        public const string Unreachable = "unreachable";
    }

    public static void RecordQueueWait(string queue, string job, TimeSpan waited)
    {
        if (waited < TimeSpan.Zero) waited = TimeSpan.Zero;
        QueueWait.Record(waited.TotalSeconds, new KeyValuePair<string, object?>("queue", queue), new KeyValuePair<string, object?>("job", job));
    }

    public static void RecordVideoPublished(DateTimeOffset createdAt, DateTimeOffset publishedAt)
    {
        if (publishedAt >= createdAt) VideoEndToEnd.Record((publishedAt - createdAt).TotalSeconds);
    }

    public static void RecordWebhookAttempt(string outcome) => WebhookAttempts.Add(1, new KeyValuePair<string, object?>("outcome", outcome));

    /// <summary>One finished ingest: <paramref name="mediaSeconds"/> of footage (0 for a still) in <paramref name="wall"/>.</summary>
    public static void RecordIngest(string kind, long bytes, double mediaSeconds, TimeSpan wall)
    {
        var tag = new KeyValuePair<string, object?>("kind", kind);
        IngestBytes.Add(bytes, tag);
        if (mediaSeconds <= 0) return;
        IngestMediaSeconds.Add(mediaSeconds, tag);
        if (wall > TimeSpan.Zero) IngestSpeed.Record(mediaSeconds / wall.TotalSeconds, tag);
    }
}
