using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using VidPress.Core.Data;
using VidPress.Core.Timeline;

namespace VidPress.Core.Videos;

/// <summary>
/// The only code that changes a video's state (status, stage, cancel flag, fencing token, runs counted): the API
/// asks it to create, cancel, retry or re-queue a video for an edit; the jobs ask it for a run's token and to save,
/// publish, fail or hand back under that token. Each change is a <see cref="VideoRules"/> transition applied as one
/// conditional UPDATE (so two callers racing on a row each see the other's result), or to a row this context holds
/// locked or tracked. Short-lived changes from a running job's side threads go through their own contexts.
/// </summary>
public sealed class VideoLifecycle(VidPressDbContext db, IDbContextFactory<VidPressDbContext> contexts, TimeProvider clock)
{
    /// <summary>
    /// Stores a new, queued video and hands it to its job as one: <paramref name="enqueue"/> runs inside the insert's
    /// transaction, so a failed enqueue (or a failed commit) leaves no video behind, and a job that starts before the
    /// commit waits for it (<see cref="TakeRunAsync"/> takes the same lock) and then finds the video, or none. A video
    /// stored without its job would wait as queued for good, and an idempotent retry of the request would answer with it.
    /// </summary>
    public async Task CreateAsync(Video video, Action enqueue, CancellationToken cancellationToken)
    {
        VideoRules.Create(video, clock.GetUtcNow());
        db.Videos.Add(video);
        try
        {
            await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await LockRunsAsync(db, video.Id, cancellationToken);
                // Accepted only after the commit, so a transaction retried after a lost connection inserts the row again.
                await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
                enqueue();
                await transaction.CommitAsync(CancellationToken.None);
            });
        }
        catch
        {
            db.Entry(video).State = EntityState.Detached;
            throw;
        }
        db.ChangeTracker.AcceptAllChanges();
    }

    /// <summary>
    /// Serialises a video's run-taking with its creation: held until the transaction ends. Advisory, keyed by the
    /// video id under a class of its own; two ids that share a key only wait for each other a moment.
    /// </summary>
    private static Task LockRunsAsync(VidPressDbContext context, Guid videoId, CancellationToken cancellationToken)
    {
        var key = BitConverter.ToInt32(videoId.ToByteArray(), 0) ^ BitConverter.ToInt32(videoId.ToByteArray(), 12);
        return context.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RunLockClass}, {key})", cancellationToken);
    }

    /// <summary>The advisory lock class of video runs ("VPrn").</summary>
    private const int RunLockClass = 0x5650726E;

    /// <summary>Asks the tenant's video to stop; returns the video as it is afterwards (null: not the tenant's).</summary>
    public async Task<Video?> RequestCancelAsync(Guid tenantId, Guid videoId, CancellationToken cancellationToken)
    {
        // One conditional update: a job taking its token or publishing at the same moment either sees the flag or wins the row first.
        await ApplyAsync(db, VideoRules.RequestCancel(clock.GetUtcNow()), v => v.Id == videoId && v.TenantId == tenantId, cancellationToken);
        return await FindAsync(tenantId, videoId, cancellationToken);
    }

    /// <summary>Queues the tenant's failed or cancelled video again; false when it is in no state to be retried.</summary>
    public async Task<bool> RetryAsync(Guid tenantId, Guid videoId, CancellationToken cancellationToken) =>
        await ApplyAsync(db, VideoRules.Retry(clock.GetUtcNow()), v => v.Id == videoId && v.TenantId == tenantId, cancellationToken) == 1;

    /// <summary>
    /// The tenant's video, tracked and locked (FOR UPDATE) until the caller's transaction ends, so the checks of an
    /// edit and its re-queue see no other change in between.
    /// </summary>
    public Task<Video?> LockAsync(Guid tenantId, Guid videoId, CancellationToken cancellationToken) =>
        db.Videos.FromSql($"""SELECT * FROM videos WHERE "Id" = {videoId} AND "TenantId" = {tenantId} FOR UPDATE""")
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>Whether the locked video may take an edited timeline now.</summary>
    public static bool IsEditable(Video video) => VideoRules.IsEditable(video);

    /// <summary>Re-queues a locked video (see <see cref="LockAsync"/>) for a render of <paramref name="timeline"/>; saved with the caller's SaveChanges.</summary>
    public bool RequeueForEdit(Video locked, TimelineDocument timeline) => VideoRules.Edit(timeline, clock.GetUtcNow()).TryApply(locked);

    public Task<Video?> FindAsync(Guid tenantId, Guid videoId, CancellationToken cancellationToken) =>
        db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == videoId && v.TenantId == tenantId, cancellationToken);

    /// <summary>Takes the next fencing token, atomically, if the video still wants a run; null when it does not.</summary>
    public Task<int?> TakeRunAsync(Guid videoId, CancellationToken cancellationToken) =>
        db.Database.InTransactionAsync(async () =>
        {
            // A video whose creation has not committed yet is waited for (see CreateAsync). The update then holds the
            // row until the commit, so the token read back is this run's own.
            await LockRunsAsync(db, videoId, cancellationToken);
            if (await ApplyAsync(db, VideoRules.TakeRun(clock.GetUtcNow()), v => v.Id == videoId, cancellationToken) == 0) return (int?)null;
            return await db.Videos.Where(v => v.Id == videoId).Select(v => v.Attempt).SingleAsync(cancellationToken);
        }, cancellationToken);

    /// <summary>Why the run holding <paramref name="token"/> should stop now, read through a context of its own (it is polled beside the run).</summary>
    public async Task<StopReason?> StopReasonAsync(Guid videoId, int token, CancellationToken cancellationToken = default)
    {
        await using var check = await contexts.CreateDbContextAsync(cancellationToken);
        var row = await check.Videos.AsNoTracking().Where(v => v.Id == videoId)
            .Select(v => new VideoRunState(v.Attempt, v.Status, v.CancelRequested)).SingleOrDefaultAsync(cancellationToken);
        return VideoRules.StopReasonFor(row, token);
    }

    /// <summary>The holder enters a stage (in memory; saved by <see cref="TrySaveHeldAsync"/>).</summary>
    public static bool Enter(Video video, int token, VideoStage stage, double progress) => VideoRules.Enter(token, stage, progress).TryApply(video);

    /// <summary>The holder marks the video published (in memory; saved by <see cref="TrySaveHeldAsync"/>).</summary>
    public bool Publish(Video video, int token) => VideoRules.Publish(token, clock.GetUtcNow()).TryApply(video);

    /// <summary>The holder fails the video for good (in memory; saved by <see cref="TrySaveHeldAsync"/>).</summary>
    public bool Fail(Video video, int token, string error) => VideoRules.Fail(token, error, clock.GetUtcNow()).TryApply(video);

    /// <summary>
    /// Saves the tracked video only while the run with <paramref name="token"/> holds it. The conditional update locks
    /// the row until the commit, so no newer run can take the token between the check and the write;
    /// <paramref name="inside"/> runs under that lock. Changes are accepted only after the commit, so a transaction
    /// retried after a lost connection writes them again, and a failed one leaves the entity's original values to go back to.
    /// </summary>
    public async Task<bool> TrySaveHeldAsync(Video video, int token, Func<Task>? inside, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        video.UpdatedAt = now;
        var hold = VideoRules.Hold(token, now);
        var saved = await db.Database.CreateExecutionStrategy().ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (await ApplyAsync(db, hold, v => v.Id == video.Id, cancellationToken) == 0) return false;
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, cancellationToken);
            if (inside is not null) await inside();
            await transaction.CommitAsync(cancellationToken);
            return true;
        });
        if (saved) db.ChangeTracker.AcceptAllChanges();
        return saved;
    }

    /// <summary>Puts the tracked video back to what the database holds (a save that did not commit).</summary>
    public void Revert(Video video)
    {
        var entry = db.Entry(video);
        entry.CurrentValues.SetValues(entry.OriginalValues);
    }

    /// <summary>The outcome's webhook has been handed over: Delivery → Done.</summary>
    public async Task HandBackAsync(Guid videoId)
    {
        await using var update = await contexts.CreateDbContextAsync();
        await ApplyAsync(update, VideoRules.HandBack(), v => v.Id == videoId, CancellationToken.None);
    }

    /// <summary>Carries out a requested cancel: for the run holding <paramref name="token"/>, or (null) for a run nobody is left to stop.</summary>
    public async Task MarkCancelledAsync(Guid videoId, int? token)
    {
        await using var update = await contexts.CreateDbContextAsync();
        await ApplyAsync(update, VideoRules.MarkCancelled(token, clock.GetUtcNow()), v => v.Id == videoId, CancellationToken.None);
    }

    /// <summary>
    /// Records render progress through a context of its own: it arrives on ffmpeg's output threads, possibly out of
    /// order, and only ever moves forward, for the run holding the token.
    /// </summary>
    public void ReportProgress(Guid videoId, int token, double progress)
    {
        using var update = contexts.CreateDbContext();
        var transition = VideoRules.ReportProgress(token, progress);
        update.Videos.Where(v => v.Id == videoId).Where(transition.Guard).ExecuteUpdate(transition.AddTo);
    }

    /// <summary>Hands a video that still waits for its stills back to the render with them; false when it no longer waits.</summary>
    public async Task<bool> ResumeAfterGenerationAsync(Guid videoId, TimelineDocument timeline, CancellationToken cancellationToken) =>
        await ApplyAsync(db, VideoRules.ResumeAfterGeneration(timeline, clock.GetUtcNow()), v => v.Id == videoId, cancellationToken) == 1;

    private static Task<int> ApplyAsync(VidPressDbContext context, VideoTransition transition, Expression<Func<Video, bool>> which, CancellationToken cancellationToken) =>
        context.Videos.Where(which).Where(transition.Guard).ExecuteUpdateAsync(transition.AddTo, cancellationToken);
}
