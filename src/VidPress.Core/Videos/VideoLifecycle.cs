using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using VidPress.Core.Data;
using VidPress.Core.Timeline;

namespace VidPress.Core.Videos;

/// <summary>The queue as a new request finds it (see <see cref="VideoLifecycle.QueueFiguresAsync"/>).</summary>
public sealed record QueueFigures(int TenantQueued, int WaitingAhead, IReadOnlyList<TimeSpan> RecentRuns);

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
    /// Stores a new, queued video and hands what its tenant's share allows to the workers as one
    /// (<see cref="DispatchHeldAsync"/>, inside the insert's transaction): a failed enqueue (or a failed commit) leaves
    /// no video behind, and a job that starts before the commit waits for it (<see cref="TakeRunAsync"/> takes the
    /// same lock) and then finds the video, or none. A video over its tenant's share waits held, queued, until one of
    /// the tenant's runs ends.
    /// </summary>
    public async Task CreateAsync(Video video, int share, Action<Guid, VideoPriority> enqueue, CancellationToken cancellationToken)
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
                await DispatchInTransactionAsync([video.TenantId], share, enqueue, cancellationToken);
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
        return context.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({RunLockClass}, {LockKey(videoId)})", cancellationToken);
    }

    /// <summary>The advisory lock class of video runs ("VPrn").</summary>
    private const int RunLockClass = 0x5650726E;

    /// <summary>The advisory lock class of a tenant's dispatching ("VPdq"): one dispatcher at a time counts a tenant's share.</summary>
    private const int DispatchLockClass = 0x56506471;

    /// <summary>
    /// Hands held videos to the workers' queue as far as each tenant's <paramref name="share"/> allows
    /// (<see cref="HeldVideos.ToDispatch"/> chooses; <see cref="VideoRules.Dispatch"/> marks each, and
    /// <paramref name="enqueue"/> runs for those it marked, in the same transaction). <paramref name="tenantId"/>
    /// null: every tenant with held videos (the sweep after a dispatch a crash missed). Joins the caller's
    /// transaction when there is one (a retry's, an edit's), so the re-queue and its enqueue stand or fall together.
    /// </summary>
    /// <returns>How many videos were handed over.</returns>
    public async Task<int> DispatchHeldAsync(Guid? tenantId, int share, Action<Guid, VideoPriority> enqueue, CancellationToken cancellationToken)
    {
        var tenants = tenantId is { } one ? [one]
            : await db.Videos.Where(VideoRules.IsHeld).Select(v => v.TenantId).Distinct().ToListAsync(cancellationToken);
        if (tenants.Count == 0) return 0;
        if (db.Database.CurrentTransaction is not null) return await DispatchInTransactionAsync(tenants, share, enqueue, cancellationToken);
        return await db.Database.InTransactionAsync(() => DispatchInTransactionAsync(tenants, share, enqueue, cancellationToken), cancellationToken);
    }

    private async Task<int> DispatchInTransactionAsync(IReadOnlyCollection<Guid> tenants, int share, Action<Guid, VideoPriority> enqueue, CancellationToken cancellationToken)
    {
        // In one order, so two sweeps never wait for each other crosswise.
        foreach (var tenant in tenants.Order())
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({DispatchLockClass}, {LockKey(tenant)})", cancellationToken);
        var inFlight = await db.Videos.Where(v => tenants.Contains(v.TenantId)).Where(VideoRules.IsInFlight)
            .GroupBy(v => v.TenantId).Select(g => new { g.Key, Count = g.Count() })
            .ToDictionaryAsync(g => g.Key, g => g.Count, cancellationToken);
        var held = await db.Videos.AsNoTracking().Where(v => tenants.Contains(v.TenantId)).Where(VideoRules.IsHeld)
            .Select(v => new HeldVideo(v.Id, v.TenantId, v.Priority, v.CreatedAt)).ToListAsync(cancellationToken);
        var dispatched = 0;
        var dispatch = VideoRules.Dispatch(clock.GetUtcNow());
        foreach (var video in HeldVideos.ToDispatch(held, inFlight, share))
        {
            if (await ApplyAsync(db, dispatch, v => v.Id == video.Id, cancellationToken) == 0) continue;
            enqueue(video.Id, video.Priority);
            dispatched++;
        }
        return dispatched;
    }

    private static int LockKey(Guid id) => BitConverter.ToInt32(id.ToByteArray(), 0) ^ BitConverter.ToInt32(id.ToByteArray(), 12);

    /// <summary>
    /// What a new request's admission reads: the tenant's queued videos (held or with the workers), the videos of any
    /// tenant with the workers and not started yet at <paramref name="priority"/> or above (what runs before a slot
    /// of the tenant's frees), and the durations of the latest <paramref name="runsMeasured"/> finished runs.
    /// </summary>
    public async Task<QueueFigures> QueueFiguresAsync(Guid tenantId, VideoPriority priority, int runsMeasured, CancellationToken cancellationToken)
    {
        var tenantQueued = await db.Videos.CountAsync(v => v.TenantId == tenantId && v.Status == VideoStatus.Queued, cancellationToken);
        var waiting = db.Videos.Where(v => v.Status == VideoStatus.Queued && v.DispatchedAt != null);
        if (priority == VideoPriority.Breaking) waiting = waiting.Where(v => v.Priority == VideoPriority.Breaking);
        var ahead = await waiting.CountAsync(cancellationToken);
        var runs = await db.Videos.Where(v => v.Status == VideoStatus.Succeeded && v.StartedAt != null && v.FinishedAt != null)
            .OrderByDescending(v => v.FinishedAt).Take(runsMeasured).Select(v => new { v.StartedAt, v.FinishedAt }).ToListAsync(cancellationToken);
        return new QueueFigures(tenantQueued, ahead, [.. runs.Select(r => r.FinishedAt!.Value - r.StartedAt!.Value)]);
    }

    /// <summary>The tenant's queued videos: held back, and with the workers (waiting for one or running).</summary>
    public async Task<(int Held, int WithWorkers)> TenantQueueAsync(Guid tenantId, CancellationToken cancellationToken) =>
        (await db.Videos.Where(v => v.TenantId == tenantId).CountAsync(VideoRules.IsHeld, cancellationToken),
         await db.Videos.Where(v => v.TenantId == tenantId).CountAsync(VideoRules.IsInFlight, cancellationToken));

    /// <summary>How long the latest <paramref name="count"/> runs of a priority waited for a worker (handed over → started).</summary>
    public async Task<IReadOnlyList<TimeSpan>> RecentWaitsAsync(VideoPriority priority, int count, CancellationToken cancellationToken)
    {
        var rows = await db.Videos.Where(v => v.Priority == priority && v.StartedAt != null && v.DispatchedAt != null && v.StartedAt >= v.DispatchedAt)
            .OrderByDescending(v => v.StartedAt).Take(count).Select(v => new { v.DispatchedAt, v.StartedAt }).ToListAsync(cancellationToken);
        return [.. rows.Select(r => r.StartedAt!.Value - r.DispatchedAt!.Value)];
    }

    /// <summary>The tenant of a video (null: no such video); what a finished run's dispatch starts from.</summary>
    public Task<Guid?> TenantOfAsync(Guid videoId, CancellationToken cancellationToken) =>
        db.Videos.Where(v => v.Id == videoId).Select(v => (Guid?)v.TenantId).SingleOrDefaultAsync(cancellationToken);

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
