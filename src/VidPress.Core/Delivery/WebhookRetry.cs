namespace VidPress.Core.Delivery;

/// <summary>When a failed webhook delivery is tried again.</summary>
public static class WebhookRetry
{
    /// <summary>Roughly the schedule Stripe and Svix use: quick retries for a blip, then hours for an outage.</summary>
    public static readonly int[] DefaultDelaysSeconds = [5, 30, 60, 300, 600, 1800, 3600, 3600, 7200, 7200, 14400, 14400];

    /// <summary>
    /// The delay after failed attempt <paramref name="attempt"/> (1-based), or null when no attempt is left.
    /// Jitter spreads the retries of many events that failed together (one receiver outage) so they do not
    /// all come back at the same second.
    /// </summary>
    public static TimeSpan? DelayAfter(int attempt, WebhookOptions options, Random random)
    {
        var delays = options.RetryDelaysSeconds is { Length: > 0 } configured ? configured : DefaultDelaysSeconds;
        if (attempt < 1 || attempt > delays.Length) return null;
        var jitter = Math.Clamp(options.RetryJitter, 0, 1);
        var factor = 1 + jitter * (2 * random.NextDouble() - 1);
        return TimeSpan.FromSeconds(Math.Max(1, delays[attempt - 1] * factor));
    }

    /// <summary>
    /// When a retry scheduled <paramref name="delay"/> after <paramref name="now"/> may run: rounded up to a whole
    /// second, because Hangfire keeps schedule times in whole seconds (truncated) and would otherwise start the
    /// retry up to a second before its delay is over.
    /// </summary>
    public static DateTimeOffset DueAt(DateTimeOffset now, TimeSpan delay)
    {
        var due = now + delay;
        var whole = due.UtcTicks % TimeSpan.TicksPerSecond;
        return whole == 0 ? due : due.AddTicks(TimeSpan.TicksPerSecond - whole);
    }
}
