namespace VidPress.Core.Jobs;

/// <summary>This run lost its token (a newer run took over) or the video was cancelled; it stops without publishing.</summary>
public sealed class RunStoppedException() : Exception("The run no longer holds the video's fencing token.");
