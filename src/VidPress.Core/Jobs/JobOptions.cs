namespace VidPress.Core.Jobs;

/// <summary>How video jobs run; bound from the "Jobs" section (whose Hangfire keys the hosts read themselves).</summary>
public sealed class JobOptions
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
}
