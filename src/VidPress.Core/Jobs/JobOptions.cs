namespace VidPress.Core.Jobs;

public sealed class JobOptions
{
    /// <summary>
    /// Runs of a video job before it is failed for good (Hangfire retries in between), counted from the video's
    /// creation, its last retry or its last timeline edit.
    /// </summary>
    public int MaxAttempts { get; set; } = 3;
    public int CandidatesPerSentence { get; set; } = 8;
    /// <summary>How often a running job looks for a cancel request or a newer run of the same video.</summary>
    public TimeSpan StopPollInterval { get; set; } = TimeSpan.FromSeconds(1);
}
