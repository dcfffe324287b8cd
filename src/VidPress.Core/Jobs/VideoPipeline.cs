using VidPress.Core.Data;
using VidPress.Core.Rendering;

namespace VidPress.Core.Jobs;

/// <summary>
/// One run of a video through the stages: the tracked video (its request and every finished stage's document), the
/// run's fencing token, the renders the render stage hands to the publisher, and the scratch the run owns until it ends.
/// </summary>
public sealed class VideoRun(Video video, int token) : IDisposable
{
    private readonly List<IDisposable> _owned = [];

    public Video Video => video;
    public VideoRequest Request => video.Request;
    /// <summary>The fencing token this run holds (<see cref="Video.Attempt"/> when it began).</summary>
    public int Token => token;
    /// <summary>Every format the render stage drew, the first the one asked for first; null when this run rendered nothing.</summary>
    public IReadOnlyList<RenderedFormat>? Renders { get; set; }

    /// <summary>Keeps <paramref name="resource"/> (a scratch folder) until the run ends: the publisher still reads the renders in it.</summary>
    public T Own<T>(T resource) where T : IDisposable
    {
        _owned.Add(resource);
        return resource;
    }

    public void Dispose()
    {
        foreach (var resource in _owned) resource.Dispose();
        _owned.Clear();
    }
}

/// <summary>What a stage did: finished (the next stage follows), or handed the video to another job (the run ends here).</summary>
public enum StageOutcome { Finished, HandedOff }

/// <summary>
/// A stage of the pipeline as the conductor sees it: when it is needed, and the work, which reads the documents of the
/// stages before it from the run's video and writes its own there.
/// </summary>
public interface IVideoStage
{
    VideoStage Stage { get; }
    /// <summary>The progress shown while the stage runs.</summary>
    double Progress { get; }
    /// <summary>False when the video already holds what the stage makes (an earlier run finished it) or does not need it.</summary>
    ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken);
    Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken);
}

/// <summary>
/// Records that a run enters a stage, saving with it the documents of the stages before it, only while the run still
/// holds its token (see <see cref="LifecycleRunRecorder"/>); false when it no longer does.
/// </summary>
public interface IRunRecorder
{
    Task<bool> TryEnterAsync(VideoRun run, VideoStage stage, double progress, CancellationToken cancellationToken);
}

/// <summary>
/// Owns the order of the stages and the resume rule: the stages run in the order of <see cref="VideoStage"/>, each only
/// when it is needed (a stage whose document an earlier run saved is skipped, so a retried or re-picked job resumes after
/// the last finished stage), each entered through the recorder before it runs, so the document of the stage before is
/// saved, fenced, before the next one starts. A run that no longer holds its token stops at the next stage; a cancel
/// stops the stage that runs (the run's cancellation token) and nothing after it runs.
/// </summary>
public sealed class VideoPipeline(IEnumerable<IVideoStage> stages, IRunRecorder recorder)
{
    private readonly IReadOnlyList<IVideoStage> _stages = Ordered(stages);

    /// <summary>The stages in the order they run.</summary>
    public IReadOnlyList<VideoStage> Order => _stages.Select(s => s.Stage).ToList();

    /// <returns>Whether the run reached the end (the renders are ready to publish) or a stage handed the video off.</returns>
    public async Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        foreach (var stage in _stages)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await stage.IsNeededAsync(run, cancellationToken)) continue;
            if (!await recorder.TryEnterAsync(run, stage.Stage, stage.Progress, cancellationToken)) throw new RunStoppedException();
            if (await stage.RunAsync(run, cancellationToken) == StageOutcome.HandedOff) return StageOutcome.HandedOff;
        }
        return StageOutcome.Finished;
    }

    private static List<IVideoStage> Ordered(IEnumerable<IVideoStage> stages)
    {
        var ordered = stages.OrderBy(s => s.Stage).ToList();
        var twice = ordered.GroupBy(s => s.Stage).FirstOrDefault(g => g.Count() > 1);
        if (twice is not null) throw new InvalidOperationException($"Two stages claim {twice.Key}.");
        return ordered;
    }
}

/// <summary>The production recorder: <see cref="Videos.VideoLifecycle"/>'s fenced save, and the stage metric.</summary>
public sealed class LifecycleRunRecorder(Videos.VideoLifecycle lifecycle) : IRunRecorder
{
    public async Task<bool> TryEnterAsync(VideoRun run, VideoStage stage, double progress, CancellationToken cancellationToken)
    {
        PipelineMetrics.EnterStage(run.Video.Id, stage);
        return Videos.VideoLifecycle.Enter(run.Video, run.Token, stage, progress)
            && await lifecycle.TrySaveHeldAsync(run.Video, run.Token, inside: null, cancellationToken);
    }
}
