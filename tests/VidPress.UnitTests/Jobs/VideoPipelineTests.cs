using VidPress.Core.Data;
using VidPress.Core.Jobs;
using VidPress.Core.Library;
using VidPress.Core.Narration;
using VidPress.Core.Script;
using VidPress.Core.Timeline;

namespace VidPress.UnitTests.Jobs;

/// <summary>The pipeline's order and resume rule, with stages that make small real documents and a recorder kept in memory.</summary>
public class VideoPipelineTests
{
    /// <summary>Remembers every stage entered, with what the video held then; refuses from <see cref="RefuseFrom"/> on (a newer run took the token).</summary>
    private sealed class MemoryRecorder : IRunRecorder
    {
        public List<(VideoStage Stage, double Progress, bool HadArticle, bool HadScript)> Entered { get; } = [];
        public VideoStage? RefuseFrom { get; init; }

        public Task<bool> TryEnterAsync(VideoRun run, VideoStage stage, double progress, CancellationToken cancellationToken)
        {
            if (RefuseFrom is { } refused && stage >= refused) return Task.FromResult(false);
            Entered.Add((stage, progress, run.Video.ArticleText is not null, run.Video.Script is not null));
            return Task.FromResult(true);
        }
    }

    /// <summary>A stage that is needed while its document is missing and makes it from the documents before it.</summary>
    private sealed class DocumentStage(VideoStage stage, Func<Video, bool> done, Action<Video> make, List<VideoStage> ran) : IVideoStage
    {
        public VideoStage Stage => stage;
        public double Progress => (int)stage * 10;
        public Func<VideoRun, CancellationToken, Task>? During { get; init; }
        public StageOutcome Outcome { get; init; } = StageOutcome.Finished;
        public ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken) => ValueTask.FromResult(!done(run.Video));

        public async Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
        {
            ran.Add(stage);
            if (During is not null) await During(run, cancellationToken);
            make(run.Video);
            return Outcome;
        }
    }

    private static readonly ScriptDocument Script = new(Languages.English, [new ScriptSentence(0, "A red circle rose.")]);
    private static readonly NarrationDocument Narration = new("narration.wav", "en", 2, [new NarratedSentence(0, 0.2, 1.8)]);
    private static readonly CandidatesDocument Candidates = new([new SentenceCandidates(0, [])]);

    private static TimelineDocument NewTimeline() =>
        new() { AspectRatio = "16:9", Resolution = "720p", Language = "en", NarrationKey = "narration.wav", Clips = [], Subtitles = [] };

    private static Video NewVideo() => new() { Id = Guid.NewGuid(), Request = new VideoRequest { Text = "A red circle rose.", AspectRatio = "16:9", Resolution = "720p" } };

    /// <summary>The six stages of a video, each making its document only from the one before it (a stage run out of order throws).</summary>
    private static Dictionary<VideoStage, DocumentStage> Stages(List<VideoStage> ran, Func<VideoRun, CancellationToken, Task>? duringNarration = null, bool handOffAtGeneration = false) => new()
    {
        [VideoStage.Article] = new(VideoStage.Article, v => v.ArticleText is not null, v => v.ArticleText = "A red circle rose.", ran),
        [VideoStage.Script] = new(VideoStage.Script, v => v.Script is not null, v => v.Script = v.ArticleText is null ? throw new InvalidOperationException("no article yet") : Script, ran),
        [VideoStage.Narration] = new(VideoStage.Narration, v => v.Narration is not null, v => v.Narration = v.Script is null ? throw new InvalidOperationException("no script yet") : Narration, ran)
        { During = duringNarration },
        [VideoStage.Retrieval] = new(VideoStage.Retrieval, v => v.Candidates is not null, v => v.Candidates = v.Script is null ? throw new InvalidOperationException("no script yet") : Candidates, ran),
        [VideoStage.Timeline] = new(VideoStage.Timeline, v => v.Timeline is not null,
            v => v.Timeline = v.Candidates is null || v.Narration is null ? throw new InvalidOperationException("no candidates yet") : NewTimeline(), ran),
        [VideoStage.Generation] = new(VideoStage.Generation, _ => !handOffAtGeneration, _ => { }, ran) { Outcome = StageOutcome.HandedOff },
        [VideoStage.Render] = new(VideoStage.Render, v => v.OutputKey is not null, v => v.OutputKey = v.Timeline is null ? throw new InvalidOperationException("no timeline yet") : "out.mp4", ran),
    };

    [Fact]
    public async Task A_new_video_runs_every_stage_in_stage_order_however_they_were_registered_each_entered_before_it_runs()
    {
        var ran = new List<VideoStage>();
        var stages = Stages(ran);
        var recorder = new MemoryRecorder();
        var pipeline = new VideoPipeline(stages.Values.Reverse(), recorder);
        var video = NewVideo();

        var outcome = await pipeline.RunAsync(new VideoRun(video, 1), CancellationToken.None);

        Assert.Equal(StageOutcome.Finished, outcome);
        VideoStage[] expected = [VideoStage.Article, VideoStage.Script, VideoStage.Narration, VideoStage.Retrieval, VideoStage.Timeline, VideoStage.Render];
        Assert.Equal(expected, ran);
        Assert.Equal(expected, recorder.Entered.Select(e => e.Stage));
        // The script stage is entered (and so the article saved with it) once the article is made, not before.
        Assert.Equal((false, false), (recorder.Entered[0].HadArticle, recorder.Entered[0].HadScript));
        Assert.Equal((true, false), (recorder.Entered[1].HadArticle, recorder.Entered[1].HadScript));
        Assert.Equal("out.mp4", video.OutputKey);
    }

    [Fact]
    public async Task A_video_whose_documents_are_saved_up_to_retrieval_resumes_at_the_timeline()
    {
        var ran = new List<VideoStage>();
        var recorder = new MemoryRecorder();
        var video = NewVideo();
        (video.ArticleText, video.Script, video.Narration, video.Candidates) = ("A red circle rose.", Script, Narration, Candidates);

        await new VideoPipeline(Stages(ran).Values, recorder).RunAsync(new VideoRun(video, 2), CancellationToken.None);

        Assert.Equal([VideoStage.Timeline, VideoStage.Render], ran);
        Assert.Equal(VideoStage.Timeline, recorder.Entered[0].Stage);
        Assert.Same(Script, video.Script);
    }

    [Fact]
    public async Task A_video_with_an_edited_timeline_only_renders()
    {
        var ran = new List<VideoStage>();
        var video = NewVideo();
        (video.ArticleText, video.Script, video.Narration, video.Candidates) = ("A red circle rose.", Script, Narration, Candidates);
        var edited = NewTimeline();
        video.Timeline = edited;

        await new VideoPipeline(Stages(ran).Values, new MemoryRecorder()).RunAsync(new VideoRun(video, 3), CancellationToken.None);

        Assert.Equal([VideoStage.Render], ran);
        Assert.Same(edited, video.Timeline);
    }

    [Fact]
    public async Task A_cancel_during_a_stage_stops_it_and_nothing_after_it_runs()
    {
        var ran = new List<VideoStage>();
        using var cancel = new CancellationTokenSource();
        var stages = Stages(ran, duringNarration: async (_, ct) =>
        {
            // The caller cancels while the voice speaks; the speech is killed, as ffmpeg and espeak-ng are.
            await cancel.CancelAsync();
            await Task.Delay(Timeout.Infinite, ct);
        });
        var recorder = new MemoryRecorder();
        var video = NewVideo();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new VideoPipeline(stages.Values, recorder).RunAsync(new VideoRun(video, 1), cancel.Token));

        Assert.Equal([VideoStage.Article, VideoStage.Script, VideoStage.Narration], ran);
        Assert.Equal(VideoStage.Narration, recorder.Entered[^1].Stage);
        Assert.Null(video.Narration);
        Assert.NotNull(video.Script);
    }

    [Fact]
    public async Task A_run_cancelled_before_it_starts_enters_no_stage()
    {
        var ran = new List<VideoStage>();
        var recorder = new MemoryRecorder();
        using var cancel = new CancellationTokenSource();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => new VideoPipeline(Stages(ran).Values, recorder).RunAsync(new VideoRun(NewVideo(), 1), cancel.Token));

        Assert.Empty(ran);
        Assert.Empty(recorder.Entered);
    }

    [Fact]
    public async Task A_run_that_no_longer_holds_its_token_stops_before_the_next_stage_runs()
    {
        var ran = new List<VideoStage>();
        var video = NewVideo();

        await Assert.ThrowsAsync<RunStoppedException>(() =>
            new VideoPipeline(Stages(ran).Values, new MemoryRecorder { RefuseFrom = VideoStage.Retrieval }).RunAsync(new VideoRun(video, 1), CancellationToken.None));

        Assert.Equal([VideoStage.Article, VideoStage.Script, VideoStage.Narration], ran);
        Assert.Null(video.Candidates);
    }

    [Fact]
    public async Task A_stage_that_hands_the_video_off_ends_the_run_before_the_render()
    {
        var ran = new List<VideoStage>();

        var outcome = await new VideoPipeline(Stages(ran, handOffAtGeneration: true).Values, new MemoryRecorder()).RunAsync(new VideoRun(NewVideo(), 1), CancellationToken.None);

        Assert.Equal(StageOutcome.HandedOff, outcome);
        Assert.Equal(VideoStage.Generation, ran[^1]);
        Assert.DoesNotContain(VideoStage.Render, ran);
    }

    [Fact]
    public void Two_stages_for_the_same_step_are_refused()
    {
        var ran = new List<VideoStage>();
        var stages = Stages(ran);
        Assert.Throws<InvalidOperationException>(() => new VideoPipeline([.. stages.Values, stages[VideoStage.Script]], new MemoryRecorder()));
    }

    [Fact]
    public void The_run_disposes_what_it_owns_when_it_ends()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"vp-run-{Guid.NewGuid():N}");
        using (var run = new VideoRun(NewVideo(), 1))
        {
            run.Own(new Core.Media.ScratchFolder(folder, "render"));
            Assert.Single(Directory.GetDirectories(folder));
        }
        Assert.Empty(Directory.GetDirectories(folder));
        Directory.Delete(folder);
    }
}
