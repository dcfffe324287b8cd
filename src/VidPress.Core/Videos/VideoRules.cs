using System.Linq.Expressions;
using VidPress.Core.Data;
using VidPress.Core.Media;
using VidPress.Core.Timeline;

namespace VidPress.Core.Videos;

/// <summary>Why a run stops without publishing.</summary>
public enum StopReason { Cancelled, Superseded }

/// <summary>The fields a running job polls to learn whether it still holds the video.</summary>
public sealed record VideoRunState(int Attempt, VideoStatus Status, bool CancelRequested)
{
    public static VideoRunState Of(Video video) => new(video.Attempt, video.Status, video.CancelRequested);
}

/// <summary>What a run that got no fencing token still has to finish for an earlier one.</summary>
public enum SettleAction { Nothing, HandOverOutcome, MarkCancelled }

/// <summary>
/// Every rule of a video's life, in one place: which state may become which, what each change writes, and who
/// holds the video. <see cref="VideoLifecycle"/> applies them to the database; the unit tests hold them as a table.
/// <para>
/// Status: queued → running → succeeded | failed | cancelled; failed and cancelled may be queued again (retry), and
/// any finished video with a timeline may be queued again for a re-render (timeline edit). A run holds the video
/// while <see cref="Video.Attempt"/> is its fencing token, the video runs and no cancel is asked for; only the
/// holder may save, publish or fail it. Succeeded and failed pass through stage Delivery (the outcome's webhook is
/// being handed over) to Done.
/// </para>
/// </summary>
public static class VideoRules
{
    /// <summary>A new request: queued, nothing run yet.</summary>
    public static void Create(Video video, DateTimeOffset now)
    {
        video.Status = VideoStatus.Queued;
        video.Stage = VideoStage.Queued;
        video.Progress = 0;
        video.Attempt = 0;
        video.AttemptsBefore = 0;
        video.CancelRequested = false;
        video.DispatchedAt = null;
        video.StartedAt = null;
        video.CreatedAt = now;
        video.UpdatedAt = now;
    }

    /// <summary>
    /// Cancel: a queued video is cancelled at once (its job finds nothing to do); a running one is asked to stop and
    /// its run, polling the flag, marks it cancelled. Finished videos are not touched.
    /// </summary>
    public static VideoTransition RequestCancel(DateTimeOffset now) =>
        new VideoTransitionBuilder("request cancel", v => v.Status == VideoStatus.Queued || v.Status == VideoStatus.Running)
            .Set(v => v.CancelRequested, true)
            .Set(v => v.Status, v => v.Status == VideoStatus.Queued ? VideoStatus.Cancelled : v.Status)
            .Set(v => v.FinishedAt, v => v.Status == VideoStatus.Queued ? now : v.FinishedAt)
            .Set(v => v.UpdatedAt, now)
            .Build();

    /// <summary>Whether a cancel request, after <see cref="RequestCancel"/>, leaves the video cancelled or stopping (202) rather than finished (409).</summary>
    public static bool CancelAccepted(Video video) =>
        video.CancelRequested && video.Status is not (VideoStatus.Succeeded or VideoStatus.Failed);

    /// <summary>
    /// Retry: a failed or cancelled video is queued again and resumes after its last finished stage. Not while the
    /// outcome's webhook is being handed over (stage Delivery): that webhook would be lost.
    /// </summary>
    public static VideoTransition Retry(DateTimeOffset now) =>
        Requeue("retry", v => (v.Status == VideoStatus.Failed || v.Status == VideoStatus.Cancelled) && v.Stage != VideoStage.Delivery, now)
            .Set(v => v.Stage, VideoStage.Queued)
            .Set(v => v.Progress, 0d)
            .Build();

    /// <summary>Whether a timeline edit may be accepted now: the video has finished (any outcome) and has a timeline.</summary>
    public static readonly Expression<Func<Video, bool>> Editable =
        v => v.Timeline != null && v.Status != VideoStatus.Queued && v.Status != VideoStatus.Running;

    private static readonly Func<Video, bool> EditableNow = Editable.Compile();

    /// <summary><see cref="Editable"/> for a video in memory (compiled once).</summary>
    public static bool IsEditable(Video video) => EditableNow(video);

    /// <summary>
    /// Timeline edit: the edited timeline replaces the old one, the outputs are dropped and only the render runs again.
    /// An edit while the last outcome's webhook is still being handed over is allowed: that webhook finds the video
    /// queued again and is dropped, and the re-render sends its own.
    /// </summary>
    public static VideoTransition Edit(TimelineDocument timeline, DateTimeOffset now) =>
        Requeue("edit timeline", Editable, now)
            .Set(v => v.Timeline, timeline)
            .Set(v => v.OutputKey, (string?)null)
            .Set(v => v.PosterKey, (string?)null)
            .Set(v => v.Outputs, new List<VideoOutput>())
            .Set(v => v.Stage, VideoStage.Render)
            .Set(v => v.Progress, RenderStartProgress)
            .Build();

    /// <summary>Progress shown when the render begins.</summary>
    public const double RenderStartProgress = 35;

    /// <summary>
    /// What retry and edit share: a new making of the video. The cancel flag is cleared (it would stop the new run
    /// before it starts), and the runs it may take are counted afresh from here against Jobs:MaxAttempts.
    /// </summary>
    private static VideoTransitionBuilder Requeue(string name, Expression<Func<Video, bool>> guard, DateTimeOffset now) =>
        new VideoTransitionBuilder(name, guard)
            .Set(v => v.Status, VideoStatus.Queued)
            .Set(v => v.Error, (string?)null)
            .Set(v => v.CancelRequested, false)
            .Set(v => v.AttemptsBefore, v => v.Attempt)
            .Set(v => v.FinishedAt, (DateTimeOffset?)null)
            .Set(v => v.DispatchedAt, (DateTimeOffset?)null)
            .Set(v => v.UpdatedAt, now);

    /// <summary>
    /// A job run takes the next fencing token if the video still wants a run: queued, or running (a run presumed dead
    /// is taken over), and not cancelled. The new token is <c>Attempt</c> after the change.
    /// </summary>
    public static VideoTransition TakeRun(DateTimeOffset now) =>
        new VideoTransitionBuilder("take run", v => (v.Status == VideoStatus.Queued || v.Status == VideoStatus.Running) && !v.CancelRequested)
            .Set(v => v.Attempt, v => v.Attempt + 1)
            .Set(v => v.Status, VideoStatus.Running)
            .Set(v => v.StartedAt, (DateTimeOffset?)now)
            .Set(v => v.UpdatedAt, now)
            .Build();

    /// <summary>
    /// A held video (queued, not handed to the workers yet, not cancelled) is handed to the workers' queue; which ones
    /// and when is <see cref="HeldVideos.ToDispatch"/>'s choice.
    /// </summary>
    public static VideoTransition Dispatch(DateTimeOffset now) =>
        new VideoTransitionBuilder("dispatch", IsHeld)
            .Set(v => v.DispatchedAt, (DateTimeOffset?)now)
            .Build();

    /// <summary>Queued but not handed to the workers yet: waiting for its tenant's share of them.</summary>
    public static readonly Expression<Func<Video, bool>> IsHeld =
        v => v.Status == VideoStatus.Queued && v.DispatchedAt == null && !v.CancelRequested;

    /// <summary>With the workers: handed to their queue and not finished (counts against the tenant's share).</summary>
    public static readonly Expression<Func<Video, bool>> IsInFlight =
        v => v.DispatchedAt != null && (v.Status == VideoStatus.Queued || v.Status == VideoStatus.Running);

    /// <summary>The run with <paramref name="token"/> holds the video: only it may save, publish or fail it.</summary>
    public static Expression<Func<Video, bool>> HeldBy(int token) =>
        v => v.Attempt == token && v.Status == VideoStatus.Running && !v.CancelRequested;

    /// <summary>The holder's save: takes the row's lock while the run still holds the video, until the commit.</summary>
    public static VideoTransition Hold(int token, DateTimeOffset now) =>
        new VideoTransitionBuilder("hold", HeldBy(token)).Set(v => v.UpdatedAt, now).Build();

    /// <summary>The holder enters the next stage.</summary>
    public static VideoTransition Enter(int token, VideoStage stage, double progress) =>
        new VideoTransitionBuilder($"enter {stage}", HeldBy(token))
            .Set(v => v.Stage, stage)
            .Set(v => v.Progress, progress)
            .Build();

    /// <summary>The holder publishes: succeeded, its webhook to be handed over (stage Delivery).</summary>
    public static VideoTransition Publish(int token, DateTimeOffset now) =>
        Finish("publish", token, VideoStatus.Succeeded, null, now).Set(v => v.Progress, 100d).Build();

    /// <summary>The holder fails the video for good, with the reason an editor reads.</summary>
    public static VideoTransition Fail(int token, string error, DateTimeOffset now) =>
        Finish("fail", token, VideoStatus.Failed, error, now).Build();

    private static VideoTransitionBuilder Finish(string name, int token, VideoStatus status, string? error, DateTimeOffset now) =>
        new VideoTransitionBuilder(name, HeldBy(token))
            .Set(v => v.Status, status)
            .Set(v => v.Stage, VideoStage.Delivery)
            .Set(v => v.Error, error)
            .Set(v => v.FinishedAt, (DateTimeOffset?)now);

    /// <summary>The outcome's webhook has been handed over: Delivery → Done (anything else is left as it is).</summary>
    public static VideoTransition HandBack() =>
        new VideoTransitionBuilder("hand back", v => v.Stage == VideoStage.Delivery).Set(v => v.Stage, VideoStage.Done).Build();

    /// <summary>
    /// A requested cancel is carried out: by the run holding <paramref name="token"/>, or, with null, by a later run
    /// that found nobody left to do it.
    /// </summary>
    public static VideoTransition MarkCancelled(int? token, DateTimeOffset now) =>
        new VideoTransitionBuilder("mark cancelled",
                v => v.Status == VideoStatus.Running && v.CancelRequested && (token == null || v.Attempt == token))
            .Set(v => v.Status, VideoStatus.Cancelled)
            .Set(v => v.FinishedAt, (DateTimeOffset?)now)
            .Set(v => v.UpdatedAt, now)
            .Build();

    /// <summary>The still generator hands a video that still waits for its stills back to the render, with the stills in its timeline.</summary>
    public static VideoTransition ResumeAfterGeneration(TimelineDocument timeline, DateTimeOffset now) =>
        new VideoTransitionBuilder("resume after generation", v => v.Status == VideoStatus.Running && v.Stage == VideoStage.Generation)
            .Set(v => v.Timeline, timeline)
            .Set(v => v.Stage, VideoStage.Render)
            .Set(v => v.UpdatedAt, now)
            .Build();

    /// <summary>Whether a video is waiting for the still generator (a late copy of that job must not change any other).</summary>
    public static bool WaitsForStills(Video video) => video.Status == VideoStatus.Running && video.Stage == VideoStage.Generation;

    /// <summary>Render progress: only ever forward, and only for the run holding the token.</summary>
    public static VideoTransition ReportProgress(int token, double progress) =>
        new VideoTransitionBuilder("progress", v => v.Attempt == token && v.Progress < progress).Set(v => v.Progress, progress).Build();

    /// <summary>
    /// Why the run holding <paramref name="token"/> should stop, from the row as it is now (null: the row is gone):
    /// a newer run took the video, or a cancel was asked for while it runs.
    /// </summary>
    public static StopReason? StopReasonFor(VideoRunState? row, int token)
    {
        if (row is null || row.Attempt != token) return StopReason.Superseded;
        if (row.CancelRequested && row.Status == VideoStatus.Running) return StopReason.Cancelled;
        return null;
    }

    /// <summary>What a run that got no token finishes: a published outcome whose webhook was not handed over, or an orphaned cancel.</summary>
    public static SettleAction SettleFor(Video video) =>
        video.Stage == VideoStage.Delivery && video.Status is VideoStatus.Succeeded or VideoStatus.Failed ? SettleAction.HandOverOutcome
        : video.Status == VideoStatus.Running && video.CancelRequested ? SettleAction.MarkCancelled
        : SettleAction.Nothing;

    /// <summary>
    /// Whether a run's failure fails the video for good rather than being retried by Hangfire: bad input always; any
    /// other error once the runs since the video's last (re)queue reach <paramref name="maxAttempts"/>. A cancelled
    /// operation is never final (the worker is shutting down and Hangfire hands the job on).
    /// </summary>
    public static bool FailsForGood(Video video, int token, Exception error, int maxAttempts) =>
        IsInputError(error) || (token - video.AttemptsBefore >= maxAttempts && error is not OperationCanceledException);

    /// <summary>An error in what the caller gave (article, media): shown to them as it is, and never retried.</summary>
    public static bool IsInputError(Exception error) => error is VideoInputException or MediaRejectedException;

    /// <summary>The reason a failed video shows.</summary>
    public static string FailureReason(VideoStage stage, Exception error) =>
        IsInputError(error) ? error.Message : $"{stage} failed: {error.Message}";
}
