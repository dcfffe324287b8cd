using Hangfire.Common;
using Hangfire.States;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Data;

namespace VidPress.Core.Jobs;

/// <summary>
/// Makes Hangfire's record of a job tell the outcome of the work, not only that the method returned: a video job
/// (or an ingest) returns normally when it has failed the video for good on bad input (it records the reason and
/// hands the outcome to the webhook itself), which Hangfire would list as a succeeded job. Such a job is moved to
/// Failed, with the video's reason as its message, and a cancelled video's job to Deleted (Hangfire's word for a job
/// that was stopped). Runs after <c>AutomaticRetry</c> (its order is 20), which only acts on a failure the method
/// threw, so nothing here is retried: the video's own rules already decided it is final.
/// </summary>
public sealed class JobOutcomeFilter(IServiceProvider services) : IElectStateFilter
{
    /// <summary>After Hangfire's retry filter (order 20).</summary>
    public const int Order = 30;

    public void OnStateElection(ElectStateContext context)
    {
        if (context.CandidateState is not SucceededState || context.BackgroundJob.Job is not { } job) return;
        var outcome = OutcomeOf(job);
        if (outcome is not null) context.CandidateState = outcome;
    }

    private IState? OutcomeOf(Job job)
    {
        if (job is not { Method.Name: "RunAsync", Args: [Guid id, ..] }) return null;
        using var scope = services.CreateScope();
        using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<VidPressDbContext>>().CreateDbContext();
        if (job.Type == typeof(VideoJob))
        {
            var video = db.Videos.AsNoTracking().Where(v => v.Id == id).Select(v => new { v.Status, v.Stage, v.Error }).SingleOrDefault();
            return video?.Status switch
            {
                VideoStatus.Failed => new FailedState(new FailedForGoodException($"The video failed at stage {video.Stage}: {video.Error}")),
                VideoStatus.Cancelled => new DeletedState { Reason = "The video was cancelled." },
                _ => null,
            };
        }
        if (job.Type == typeof(AssetIngestJob))
        {
            var asset = db.Assets.AsNoTracking().Where(a => a.Id == id).Select(a => new { a.Status, a.Error }).SingleOrDefault();
            return asset?.Status == AssetStatus.Failed ? new FailedState(new FailedForGoodException($"The asset was refused: {asset.Error}")) : null;
        }
        return null;
    }
}

/// <summary>What Hangfire shows for a job whose video (or asset) failed for good: the reason the API gives.</summary>
public sealed class FailedForGoodException(string message) : Exception(message);
