using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;
using VidPress.Core.Jobs;
using VidPress.Core.Timeline;
using VidPress.Core.Videos;

namespace VidPress.Api.Videos;

/// <summary>
/// PUT /videos/{id}/timeline: an editor's changed timeline (a swapped shot, a changed cue) is checked,
/// stored as the next revision and rendered again. Everything before the picture — article, script,
/// narration, retrieval — is reused as it is; only the render runs again.
/// </summary>
public static class TimelineEditing
{
    private const double Tolerance = 0.002;

    public static RouteGroupBuilder MapTimelineEditing(this RouteGroupBuilder videos)
    {
        videos.MapPut("/{id:guid}/timeline", PutAsync).WithName("EditVideoTimeline")
            .WithSummary("Replace the timeline with an edited one and render the video again")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return videos;
    }

    private static async Task<Results<Accepted<TimelineDocument>, ProblemHttpResult>> PutAsync(
        Guid id, TimelineDocument edited, VidPressDbContext db, VideoLifecycle lifecycle, IBackgroundJobClient jobs, TenantContext tenant, TimeProvider clock,
        CancellationToken ct)
    {
        // The video's row stays locked from the checks to the job's enqueueing: two edits of one revision, or an edit
        // beside a cancel or a retry, take turns and the later one sees the earlier one's result; if the job cannot be
        // enqueued, nothing is changed.
        return await db.Database.InTransactionAsync(async () =>
        {
            db.ChangeTracker.Clear();
            var video = await lifecycle.LockAsync(tenant.TenantId, id, ct);
            if (video is null) return (Results<Accepted<TimelineDocument>, ProblemHttpResult>)Problems.NotFound("video", id);
            if (video.Timeline is not { } current || !VideoLifecycle.IsEditable(video))
                return Problems.NotReady("The video is still being made; edit its timeline once it has finished.");

            var problems = await ValidateAsync(edited, current, db, tenant.TenantId, clock.GetUtcNow(), ct);
            if (problems.Count > 0) return Problems.Validation(problems);

            // The narration and the frame are the video's own; an edit changes pictures and words on screen only.
            var accepted = edited with
            {
                Width = current.Width, Height = current.Height, FrameRate = current.FrameRate, AspectRatio = current.AspectRatio,
                Resolution = current.Resolution, NarrationKey = current.NarrationKey, DurationSeconds = current.DurationSeconds,
                Language = current.Language, Sentences = current.Sentences, Revision = current.Revision + 1,
            };
            lifecycle.RequeueForEdit(video, accepted);
            await db.SaveChangesAsync(ct);
            jobs.Enqueue<VideoJob>(j => j.RunAsync(video.Id, CancellationToken.None));
            return TypedResults.Accepted($"/videos/{id}", accepted);
        }, ct);
    }

    internal static async Task<Dictionary<string, string[]>> ValidateAsync(TimelineDocument edited, TimelineDocument current, VidPressDbContext db, Guid tenantId, DateTimeOffset now, CancellationToken ct)
    {
        var problems = new Dictionary<string, string[]>();
        void Add(string field, string message) => problems[field] = problems.TryGetValue(field, out var m) ? [.. m, message] : [message];

        if (edited.Revision != current.Revision)
            Add("revision", $"The timeline changed since revision {edited.Revision}; fetch revision {current.Revision} and edit that.");
        var clips = edited.Clips ?? [];
        if (clips.Count == 0 || clips.Count > 1000) Add("clips", "Between 1 and 1000 clips.");
        else
        {
            if (Math.Abs(clips[0].Start) > Tolerance) Add("clips[0].start", "The first clip starts at 0.");
            if (Math.Abs(clips[^1].End - current.DurationSeconds) > Tolerance)
                Add($"clips[{clips.Count - 1}].end", $"The last clip ends with the narration, at {current.DurationSeconds:0.###} s.");
            for (var i = 0; i < clips.Count; i++)
            {
                var clip = clips[i];
                if (clip.End - clip.Start < 1.0 / current.FrameRate) Add($"clips[{i}]", "A clip lasts at least one frame.");
                if (i > 0 && Math.Abs(clip.Start - clips[i - 1].End) > Tolerance) Add($"clips[{i}].start", "Clips follow each other without gaps or overlaps.");
                if (clip.Kind is ClipKind.VideoShot or ClipKind.Still or ClipKind.GeneratedStill && clip.AssetId is null)
                    Add($"clips[{i}].assetId", "A shot or still needs the asset it shows.");
                if ((clip.CardText?.Length ?? 0) > 500) Add($"clips[{i}].cardText", "At most 500 characters.");
            }
            var assetIds = clips.Where(c => c.AssetId is not null).Select(c => c.AssetId!.Value).Distinct().ToList();
            var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == tenantId && assetIds.Contains(a.Id))
                .Select(a => new { a.Id, a.Kind, a.Status, a.DurationSeconds, a.ExpiresAt }).ToDictionaryAsync(a => a.Id, ct);
            for (var i = 0; i < clips.Count; i++)
            {
                if (clips[i].AssetId is not { } assetId) continue;
                if (!assets.TryGetValue(assetId, out var asset) || asset.Status != AssetStatus.Ready)
                    Add($"clips[{i}].assetId", "No ready asset with this id in your library.");
                else if (asset.ExpiresAt is { } expiry && expiry <= now)
                    Add($"clips[{i}].assetId", "This asset's licence has expired.");
                else if (clips[i].Kind == ClipKind.VideoShot && (asset.Kind != AssetKind.Video || clips[i].SourceStart < 0 || clips[i].SourceStart > asset.DurationSeconds))
                    Add($"clips[{i}].sourceStart", "A video shot starts inside its clip's duration.");
            }
        }
        foreach (var (cue, i) in (edited.Subtitles ?? []).Select((c, i) => (c, i)))
        {
            if (cue.Start < 0 || cue.End > current.DurationSeconds + Tolerance || cue.End <= cue.Start) Add($"subtitles[{i}]", "A cue lies inside the video and ends after it starts.");
            if (cue.Text is null || cue.Text.Length > 500) Add($"subtitles[{i}].text", "Between 0 and 500 characters.");
        }
        return problems;
    }
}
