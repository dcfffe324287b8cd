using VidPress.Core;
using VidPress.Core.Data;
using VidPress.Core.Media;
using VidPress.Core.Timeline;
using VidPress.Core.Videos;

namespace VidPress.UnitTests.Videos;

/// <summary>The video's lifecycle as a transition table, and the fencing rules as short stories, all in memory.</summary>
public sealed class VideoRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Earlier = Now.AddHours(-1);

    private static readonly VideoStatus[] Statuses = Enum.GetValues<VideoStatus>();
    private static readonly VideoStage[] Stages = Enum.GetValues<VideoStage>();

    private static Video VideoIn(VideoStatus status, VideoStage stage, bool cancelRequested = false, int attempt = 2, bool withTimeline = true) => new()
    {
        Id = Guid.NewGuid(),
        Request = new VideoRequest { Text = "A red circle rose.", AspectRatio = "16:9", Resolution = "720p" },
        Status = status,
        Stage = stage,
        CancelRequested = cancelRequested,
        Attempt = attempt,
        AttemptsBefore = 1,
        Progress = 50,
        Error = status == VideoStatus.Failed ? "Render failed: boom" : null,
        Timeline = withTimeline ? Timeline("old") : null,
        OutputKey = status == VideoStatus.Succeeded ? "t/v/video.mp4" : null,
        Outputs = status == VideoStatus.Succeeded ? [new VideoOutput("16:9", "720p", 1280, 720, "t/v/video.mp4", null)] : [],
        FinishedAt = status is VideoStatus.Succeeded or VideoStatus.Failed or VideoStatus.Cancelled ? Earlier : null,
        UpdatedAt = Earlier,
    };

    private static TimelineDocument Timeline(string text) => new()
    {
        AspectRatio = "16:9", Resolution = "720p", Language = "en", NarrationKey = "t/v/narration.wav",
        Clips = [new TimelineClip { Text = text, End = 2, Kind = ClipKind.TitleCard }], Subtitles = [],
    };

    public static TheoryData<VideoStatus, VideoStage, bool> EveryState()
    {
        var data = new TheoryData<VideoStatus, VideoStage, bool>();
        foreach (var status in Statuses)
            foreach (var stage in Stages)
                foreach (var cancel in new[] { false, true }) data.Add(status, stage, cancel);
        return data;
    }

    [Theory, MemberData(nameof(EveryState))]
    public void Cancel_stops_only_unfinished_videos_and_cancels_a_queued_one_at_once(VideoStatus status, VideoStage stage, bool cancelRequested)
    {
        var video = VideoIn(status, stage, cancelRequested);
        var applied = VideoRules.RequestCancel(Now).TryApply(video);

        var unfinished = status is VideoStatus.Queued or VideoStatus.Running;
        Assert.Equal(unfinished, applied);
        if (!unfinished)
        {
            Assert.Equal(status, video.Status);
            Assert.Equal(cancelRequested, video.CancelRequested);
            Assert.Equal(Earlier, video.UpdatedAt);
            return;
        }
        Assert.True(video.CancelRequested);
        // A running video keeps running until its run sees the flag; a queued one is cancelled now.
        Assert.Equal(status == VideoStatus.Queued ? VideoStatus.Cancelled : VideoStatus.Running, video.Status);
        Assert.Equal(status == VideoStatus.Queued ? Now : null, video.FinishedAt);
        Assert.Equal(Now, video.UpdatedAt);
        Assert.True(VideoRules.CancelAccepted(video));
    }

    [Theory]
    [InlineData(VideoStatus.Succeeded, false)]
    [InlineData(VideoStatus.Failed, false)]
    [InlineData(VideoStatus.Cancelled, true)]
    public void A_cancel_of_a_finished_video_is_accepted_only_when_it_was_cancelled(VideoStatus status, bool accepted)
    {
        var video = VideoIn(status, VideoStage.Done, cancelRequested: status == VideoStatus.Cancelled);
        Assert.False(VideoRules.RequestCancel(Now).TryApply(video));
        Assert.Equal(accepted, VideoRules.CancelAccepted(video));
    }

    [Theory, MemberData(nameof(EveryState))]
    public void Retry_requeues_failed_or_cancelled_videos_whose_outcome_was_handed_over(VideoStatus status, VideoStage stage, bool cancelRequested)
    {
        var video = VideoIn(status, stage, cancelRequested, attempt: 4);
        var applied = VideoRules.Retry(Now).TryApply(video);

        var expected = status is VideoStatus.Failed or VideoStatus.Cancelled && stage != VideoStage.Delivery;
        Assert.Equal(expected, applied);
        if (!expected)
        {
            Assert.Equal(status, video.Status);
            Assert.Equal(stage, video.Stage);
            return;
        }
        Assert.Equal(VideoStatus.Queued, video.Status);
        Assert.Equal(VideoStage.Queued, video.Stage);
        Assert.Equal(0, video.Progress);
        Assert.Null(video.Error);
        Assert.False(video.CancelRequested);
        Assert.Null(video.FinishedAt);
        // Runs are counted afresh: the four runs so far do not count against the new making.
        Assert.Equal(4, video.AttemptsBefore);
        Assert.Equal(4, video.Attempt);
        Assert.Equal(Now, video.UpdatedAt);
    }

    [Theory, MemberData(nameof(EveryState))]
    public void An_edit_requeues_any_finished_video_for_the_render_alone(VideoStatus status, VideoStage stage, bool cancelRequested)
    {
        var video = VideoIn(status, stage, cancelRequested, attempt: 3);
        var edited = Timeline("new");
        var applied = VideoRules.Edit(edited, Now).TryApply(video);

        var finished = status is VideoStatus.Succeeded or VideoStatus.Failed or VideoStatus.Cancelled;
        Assert.Equal(finished, applied);
        if (!finished)
        {
            Assert.Equal("old", video.Timeline!.Clips[0].Text);
            Assert.Equal(status, video.Status);
            return;
        }
        Assert.Same(edited, video.Timeline);
        Assert.Equal(VideoStatus.Queued, video.Status);
        Assert.Equal(VideoStage.Render, video.Stage);
        Assert.Equal(VideoRules.RenderStartProgress, video.Progress);
        Assert.Null(video.OutputKey);
        Assert.Empty(video.Outputs);
        Assert.Null(video.Error);
        Assert.False(video.CancelRequested);
        Assert.Null(video.FinishedAt);
        Assert.Equal(3, video.AttemptsBefore);
    }

    [Fact]
    public void A_video_without_a_timeline_cannot_be_edited()
    {
        var video = VideoIn(VideoStatus.Failed, VideoStage.Done, withTimeline: false);
        Assert.False(VideoRules.Edit(Timeline("new"), Now).TryApply(video));
        Assert.Equal(VideoStatus.Failed, video.Status);
    }

    [Theory, MemberData(nameof(EveryState))]
    public void A_run_takes_the_next_token_only_while_the_video_wants_a_run(VideoStatus status, VideoStage stage, bool cancelRequested)
    {
        var video = VideoIn(status, stage, cancelRequested, attempt: 2);
        var applied = VideoRules.TakeRun(Now).TryApply(video);

        var wanted = status is VideoStatus.Queued or VideoStatus.Running && !cancelRequested;
        Assert.Equal(wanted, applied);
        Assert.Equal(wanted ? 3 : 2, video.Attempt);
        Assert.Equal(wanted ? VideoStatus.Running : status, video.Status);
    }

    [Theory, MemberData(nameof(EveryState))]
    public void Only_a_running_uncancelled_video_is_held_by_its_latest_token(VideoStatus status, VideoStage stage, bool cancelRequested)
    {
        var video = VideoIn(status, stage, cancelRequested, attempt: 5);
        var held = VideoRules.HeldBy(5).Compile();
        Assert.Equal(status == VideoStatus.Running && !cancelRequested, held(video));
        Assert.False(VideoRules.HeldBy(4).Compile()(video));
        Assert.False(VideoRules.HeldBy(6).Compile()(video));
    }

    [Fact]
    public void A_superseded_run_can_neither_save_publish_nor_fail_the_video()
    {
        var video = VideoIn(VideoStatus.Queued, VideoStage.Queued, attempt: 0);
        Assert.True(VideoRules.TakeRun(Now).TryApply(video));
        var first = video.Attempt;
        // The first worker is presumed dead; Hangfire gives the job to another, which takes the next token.
        Assert.True(VideoRules.TakeRun(Now).TryApply(video));
        var second = video.Attempt;
        Assert.Equal(first + 1, second);

        Assert.False(VideoRules.Hold(first, Now).TryApply(video));
        Assert.False(VideoRules.Enter(first, VideoStage.Render, 35).TryApply(video));
        Assert.False(VideoRules.Publish(first, Now).TryApply(video));
        Assert.False(VideoRules.Fail(first, "late", Now).TryApply(video));
        Assert.False(VideoRules.ReportProgress(first, 90).TryApply(video));
        Assert.Equal(StopReason.Superseded, VideoRules.StopReasonFor(VideoRunState.Of(video), first));
        Assert.Null(VideoRules.StopReasonFor(VideoRunState.Of(video), second));

        Assert.True(VideoRules.Enter(second, VideoStage.Render, 35).TryApply(video));
        Assert.True(VideoRules.Publish(second, Now).TryApply(video));
        Assert.Equal(VideoStatus.Succeeded, video.Status);
        Assert.Equal(VideoStage.Delivery, video.Stage);
        Assert.Equal(100, video.Progress);
        // Published: the holder's token no longer holds the video (it is not running), so nothing else is saved.
        Assert.False(VideoRules.Fail(second, "after publish", Now).TryApply(video));
        Assert.Equal(SettleAction.HandOverOutcome, VideoRules.SettleFor(video));
        Assert.True(VideoRules.HandBack().TryApply(video));
        Assert.Equal(VideoStage.Done, video.Stage);
        Assert.Equal(SettleAction.Nothing, VideoRules.SettleFor(video));
    }

    [Fact]
    public void A_cancel_while_running_stops_the_holder_and_only_it_or_a_settling_run_marks_it_cancelled()
    {
        var video = VideoIn(VideoStatus.Queued, VideoStage.Queued, attempt: 0);
        VideoRules.TakeRun(Now).TryApply(video);
        var token = video.Attempt;
        Assert.True(VideoRules.RequestCancel(Now).TryApply(video));

        Assert.Equal(StopReason.Cancelled, VideoRules.StopReasonFor(VideoRunState.Of(video), token));
        Assert.False(VideoRules.Hold(token, Now).TryApply(video));
        Assert.False(VideoRules.Publish(token, Now).TryApply(video));
        // A new run gets no token while the cancel stands, and settles it if the holder died.
        Assert.False(VideoRules.TakeRun(Now).TryApply(video));
        Assert.Equal(SettleAction.MarkCancelled, VideoRules.SettleFor(video));
        Assert.False(VideoRules.MarkCancelled(token + 1, Now).TryApply(video));
        Assert.True(VideoRules.MarkCancelled(null, Now).TryApply(video));
        Assert.Equal(VideoStatus.Cancelled, video.Status);
        Assert.Equal(Now, video.FinishedAt);
        Assert.Equal(SettleAction.Nothing, VideoRules.SettleFor(video));

        // Retried: the flag is cleared, so the next run is not stopped before it starts.
        Assert.True(VideoRules.Retry(Now).TryApply(video));
        Assert.True(VideoRules.TakeRun(Now).TryApply(video));
        Assert.Null(VideoRules.StopReasonFor(VideoRunState.Of(video), video.Attempt));
    }

    [Fact]
    public void A_gone_row_supersedes_every_run()
    {
        Assert.Equal(StopReason.Superseded, VideoRules.StopReasonFor(null, 1));
    }

    [Fact]
    public void Progress_only_moves_forward()
    {
        var video = VideoIn(VideoStatus.Running, VideoStage.Render, attempt: 2);
        Assert.True(VideoRules.ReportProgress(2, 60).TryApply(video));
        Assert.False(VideoRules.ReportProgress(2, 55).TryApply(video));
        Assert.Equal(60, video.Progress);
    }

    [Fact]
    public void Stills_are_taken_only_by_a_video_still_waiting_for_them()
    {
        var waiting = VideoIn(VideoStatus.Running, VideoStage.Generation);
        var withStills = Timeline("with still");
        Assert.True(VideoRules.WaitsForStills(waiting));
        Assert.True(VideoRules.ResumeAfterGeneration(withStills, Now).TryApply(waiting));
        Assert.Equal(VideoStage.Render, waiting.Stage);
        Assert.Same(withStills, waiting.Timeline);

        // A late copy of the generation job finds the video rendering (or cancelled) and changes nothing.
        Assert.False(VideoRules.ResumeAfterGeneration(Timeline("late"), Now).TryApply(waiting));
        var cancelled = VideoIn(VideoStatus.Cancelled, VideoStage.Generation);
        Assert.False(VideoRules.ResumeAfterGeneration(Timeline("late"), Now).TryApply(cancelled));
        Assert.Equal("with still", waiting.Timeline!.Clips[0].Text);
    }

    [Theory]
    [InlineData(1, 3, false)]
    [InlineData(3, 3, false)]
    [InlineData(4, 3, true)]
    [InlineData(6, 3, true)]
    public void Transient_errors_fail_the_video_for_good_after_the_allowed_runs_since_its_last_requeue(int token, int maxAttempts, bool final)
    {
        // AttemptsBefore = 1: the video was retried after its first run; runs 2, 3 and 4 are this making's three.
        var video = VideoIn(VideoStatus.Running, VideoStage.Render, attempt: token);
        Assert.Equal(final, VideoRules.FailsForGood(video, token, new IOException("disk"), maxAttempts));
        Assert.False(VideoRules.FailsForGood(video, token, new OperationCanceledException(), maxAttempts));
        Assert.True(VideoRules.FailsForGood(video, token, new VideoInputException("No sentences."), maxAttempts));
        Assert.True(VideoRules.FailsForGood(video, token, new MediaRejectedException("Not media."), maxAttempts));
    }

    [Fact]
    public void An_input_error_is_shown_as_it_is_and_any_other_with_its_stage()
    {
        Assert.Equal("No sentences.", VideoRules.FailureReason(VideoStage.Script, new VideoInputException("No sentences.")));
        Assert.Equal("Render failed: disk full", VideoRules.FailureReason(VideoStage.Render, new IOException("disk full")));
    }

    [Fact]
    public void Values_are_read_from_the_row_before_any_is_written()
    {
        // Retry sets AttemptsBefore from Attempt and Status from a constant; cancel reads Status twice while changing it.
        var queued = VideoIn(VideoStatus.Queued, VideoStage.Queued);
        VideoRules.RequestCancel(Now).TryApply(queued);
        Assert.Equal(VideoStatus.Cancelled, queued.Status);
        Assert.Equal(Now, queued.FinishedAt);
    }

    [Fact]
    public void A_new_video_is_queued_with_no_run_taken()
    {
        var video = new Video { Request = new VideoRequest { AspectRatio = "16:9", Resolution = "720p" }, Status = VideoStatus.Failed, Attempt = 9 };
        VideoRules.Create(video, Now);
        Assert.Equal(VideoStatus.Queued, video.Status);
        Assert.Equal(VideoStage.Queued, video.Stage);
        Assert.Equal(0, video.Attempt);
        Assert.Equal(Now, video.CreatedAt);
        Assert.True(VideoRules.TakeRun(Now).TryApply(video));
        Assert.Equal(1, video.Attempt);
    }
}
