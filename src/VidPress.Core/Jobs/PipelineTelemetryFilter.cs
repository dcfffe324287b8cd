using System.Diagnostics;
using Hangfire;
using Hangfire.Common;
using Hangfire.Server;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using VidPress.Core.Data;
using VidPress.Core.Telemetry;

namespace VidPress.Core.Jobs;

/// <summary>
/// Wraps each run of <see cref="VideoJob"/> in a span and ends its last stage, so that stage timing needs
/// nothing from the job but one call where it enters a stage. Render speed is read back from the video row
/// because that is where the job records what it rendered.
/// </summary>
public sealed class PipelineTelemetryFilter(IServiceProvider services) : IServerFilter
{
    private const string ActivityKey = "vidpress.activity";

    /// <summary>The global filters (retries, queues) plus this host's telemetry filters and its truthful outcomes.</summary>
    public sealed class Provider(IServiceProvider services, IJobFilterProvider global) : IJobFilterProvider
    {
        private readonly JobFilter _filter = new(new PipelineTelemetryFilter(services), JobFilterScope.Global, null);
        private readonly JobFilter _queueWait = new(new QueueWaitFilter(services.GetRequiredService<JobStorage>()), JobFilterScope.Global, null);

        private readonly JobFilter _outcome = new(new JobOutcomeFilter(services), JobFilterScope.Global, JobOutcomeFilter.Order);

        public IEnumerable<JobFilter> GetFilters(Job job) => global.GetFilters(job).Append(_queueWait).Append(_filter).Append(_outcome);
    }

    public void OnPerforming(PerformingContext context)
    {
        if (VideoIdOf(context) is not { } videoId) return;
        var activity = PipelineMetrics.ActivitySource.StartActivity("video job", ActivityKind.Consumer);
        activity?.SetTag("vidpress.video_id", videoId.ToString());
        activity?.SetTag("hangfire.job_id", context.BackgroundJob.Id);
        if (activity is not null) context.Items[ActivityKey] = activity;
    }

    public void OnPerformed(PerformedContext context)
    {
        if (VideoIdOf(context) is not { } videoId) return;
        var activity = context.Items.TryGetValue(ActivityKey, out var item) ? item as Activity : null;
        try
        {
            var (status, duration, renderSeconds, createdAt, finishedAt) = context.Exception is null ? ReadOutcome(videoId) : default;
            var outcome = context.Canceled ? "cancelled"
                : context.Exception is not null ? "retried"
                : status == VideoStatus.Succeeded ? "succeeded"
                : status == VideoStatus.Failed ? "failed"
                : "ended";
            var lastStage = PipelineMetrics.EndRun(videoId, outcome);
            if (lastStage == VideoStage.Render && outcome == "succeeded" && duration is { } d && renderSeconds is { } r)
                PipelineMetrics.RecordRender(d, r);
            // Published by this run: from the request to now, retries and queue waits included.
            if (lastStage is not null && outcome == "succeeded" && createdAt is { } created && finishedAt is { } finished)
                ServiceMetrics.RecordVideoPublished(created, finished);
            if (activity is not null && outcome is not "succeeded") activity.SetStatus(ActivityStatusCode.Error, context.Exception?.Message ?? outcome);
        }
        finally
        {
            activity?.Dispose();
        }
    }

    private (VideoStatus?, double?, double?, DateTimeOffset?, DateTimeOffset?) ReadOutcome(Guid videoId)
    {
        using var scope = services.CreateScope();
        using var db = scope.ServiceProvider.GetRequiredService<IDbContextFactory<VidPressDbContext>>().CreateDbContext();
        var row = db.Videos.AsNoTracking().Where(v => v.Id == videoId)
            .Select(v => new { v.Status, v.DurationSeconds, v.RenderSeconds, v.CreatedAt, v.FinishedAt }).SingleOrDefault();
        return row is null ? default : (row.Status, row.DurationSeconds, row.RenderSeconds, row.CreatedAt, row.FinishedAt);
    }

    private static Guid? VideoIdOf(PerformContext context) =>
        context.BackgroundJob.Job is { Type: var type, Method.Name: nameof(VideoJob.RunAsync), Args: [Guid id, ..] } && type == typeof(VideoJob) ? id : null;
}
