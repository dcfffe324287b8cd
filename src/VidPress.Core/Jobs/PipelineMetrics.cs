using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using VidPress.Core.Data;

namespace VidPress.Core.Jobs;

/// <summary>
/// The pipeline's traces and metrics, under the one name "VidPress" that hosts subscribe to.
/// A stage ends when the next one begins or when the job ends, so the job only has to say where it enters;
/// <see cref="PipelineTelemetryFilter"/> opens the job's span and closes the last stage around each run.
/// </summary>
public static class PipelineMetrics
{
    public const string Name = "VidPress";

    public static readonly ActivitySource ActivitySource = new(Name);
    public static readonly Meter Meter = new(Name);

    private static readonly Histogram<double> StageDuration = Meter.CreateHistogram<double>(
        "vidpress.stage.duration", "s", "Wall time of one pipeline stage of one video job run.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600] });

    private static readonly Histogram<double> RenderSpeed = Meter.CreateHistogram<double>(
        "vidpress.render.speed", null, "Seconds of finished video per second of rendering (above 1 is faster than real time).",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.25, 0.5, 1, 2, 3, 5, 8, 13, 20, 40] });

    private static readonly Counter<long> JobRuns = Meter.CreateCounter<long>(
        "vidpress.job.runs", null, "Video job runs by how they ended: succeeded, failed, retried (threw and Hangfire retries), cancelled.");

    // One open stage per video job run in this process; keyed by video because a job knows its video, not its run.
    private static readonly ConcurrentDictionary<Guid, OpenStage> Open = new();

    private sealed record OpenStage(VideoStage Stage, long StartedAt, Activity? Activity);

    /// <summary>The job has entered <paramref name="stage"/>: the previous stage of this video ends here.</summary>
    public static void EnterStage(Guid videoId, VideoStage stage)
    {
        var parent = Activity.Current;
        var activity = ActivitySource.StartActivity($"stage {stage.ToString().ToLowerInvariant()}", ActivityKind.Internal, parent?.Context ?? default);
        activity?.SetTag("vidpress.video_id", videoId.ToString());
        activity?.SetTag("vidpress.stage", StageTag(stage));
        // Activity.Current must stay the job's span: a stage span set as current inside the job's
        // EnterAsync would be undone when that async method returns anyway.
        Activity.Current = parent;
        Open.AddOrUpdate(videoId, _ => new OpenStage(stage, Stopwatch.GetTimestamp(), activity), (_, old) =>
        {
            Close(old, "ok");
            return new OpenStage(stage, Stopwatch.GetTimestamp(), activity);
        });
    }

    /// <summary>
    /// The job run for <paramref name="videoId"/> has ended; closes its last stage with <paramref name="outcome"/>
    /// and says which stage that was (null when the run entered none, e.g. the video was already finished).
    /// </summary>
    public static VideoStage? EndRun(Guid videoId, string outcome)
    {
        JobRuns.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        if (!Open.TryRemove(videoId, out var stage)) return null;
        Close(stage, outcome is "succeeded" ? "ok" : outcome);
        return stage.Stage;
    }

    public static void RecordRender(double videoSeconds, double renderSeconds)
    {
        if (videoSeconds > 0 && renderSeconds > 0) RenderSpeed.Record(videoSeconds / renderSeconds);
    }

    private static void Close(OpenStage stage, string outcome)
    {
        var seconds = Stopwatch.GetElapsedTime(stage.StartedAt).TotalSeconds;
        StageDuration.Record(seconds, new KeyValuePair<string, object?>("stage", StageTag(stage.Stage)), new KeyValuePair<string, object?>("outcome", outcome));
        if (stage.Activity is { } activity)
        {
            if (outcome != "ok") activity.SetStatus(ActivityStatusCode.Error, outcome);
            activity.Dispose();
        }
    }

    private static string StageTag(VideoStage stage) => stage.ToString().ToLowerInvariant();
}
