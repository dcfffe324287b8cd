namespace VidPress.Core.Jobs;

/// <summary>How video jobs run; bound from the "Jobs" section (whose Hangfire keys the hosts read themselves).</summary>
public sealed class JobOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Jobs";

    /// <summary>
    /// Runs of a video job before it is failed for good (Hangfire retries in between), counted from the video's
    /// creation, its last retry or its last timeline edit.
    /// </summary>
    [Between(1, 100)]
    public int MaxAttempts { get; set; } = 3;
    [Between(1, 100)]
    public int CandidatesPerSentence { get; set; } = 8;
    /// <summary>How often a running job looks for a cancel request or a newer run of the same video.</summary>
    [Duration("00:00:00.010", "00:10:00")]
    public TimeSpan StopPollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many of one tenant's videos may be with the workers at once (in Hangfire's queue or running); the rest wait
    /// held, queued, in the database. Set it to the number of video workers of the whole deployment: then another
    /// tenant's video waits for at most one job per worker (see <c>Videos/HeldVideos</c>).
    /// </summary>
    [Between(1, 1000)]
    public int TenantShare { get; set; } = 2;

    /// <summary>How many queued videos (held or with the workers) one tenant may have; a request over it is answered 429.</summary>
    [Between(1, 1_000_000)]
    public int MaxQueuedVideosPerTenant { get; set; } = 500;

    /// <summary>The shortest Retry-After a 429 for a full queue gives.</summary>
    [Duration("00:00:01", "01:00:00")]
    public TimeSpan RetryAfterFloor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>The longest Retry-After a 429 for a full queue gives, however long the queue.</summary>
    [Duration("00:00:01", "1.00:00:00")]
    public TimeSpan RetryAfterCap { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A run's duration assumed for Retry-After while no video has finished yet to measure one.</summary>
    [Duration("00:00:01", "06:00:00")]
    public TimeSpan AssumedRunDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many of the latest finished runs Retry-After's mean run duration is taken over.</summary>
    [Between(1, 1000)]
    public int RunsMeasured { get; set; } = 50;

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (RetryAfterFloor > RetryAfterCap)
            yield return new("must not be longer than RetryAfterCap.", [nameof(RetryAfterFloor)]);
    }
}
