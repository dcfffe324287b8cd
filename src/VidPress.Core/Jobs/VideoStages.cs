using Hangfire;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using VidPress.Core.Articles;
using VidPress.Core.Data;
using VidPress.Core.Generation;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Rendering;
using VidPress.Core.Script;
using VidPress.Core.Timeline;
using VidPress.Core.Videos;

namespace VidPress.Core.Jobs;

// The stages as the pipeline runs them: each takes the documents of the stages before it from the run's video, hands
// them to the stage's own service, and puts the result back. The work is the stage folders'; these only connect them.

/// <summary>Text or URL → article; a caller's script stands for the article. Sets the title and the narration language.</summary>
public sealed class ArticleStage(ArticleReader articles) : IVideoStage
{
    public VideoStage Stage => VideoStage.Article;
    public double Progress => 2;
    public ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken) => ValueTask.FromResult(run.Video.ArticleText is null);

    public async Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var (video, request) = (run.Video, run.Request);
        var article = request.Script is { Count: > 0 } callerScript
            ? CallerScript.AsArticle(request.Title, callerScript)
            : await articles.ReadAsync(request.Text, request.Url, request.Title, cancellationToken);
        video.ArticleText = article.Text;
        video.Title = article.Title;
        video.Language = Languages.Choose(request.Language, article.Text);
        Languages.RequireSupported(video.Language);
        return StageOutcome.Finished;
    }
}

/// <summary>Article → narration script: written to the target duration, or the caller's own sentences.</summary>
public sealed class ScriptStage(ScriptWriter writer) : IVideoStage
{
    public VideoStage Stage => VideoStage.Script;
    public double Progress => 8;
    public ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken) => ValueTask.FromResult(run.Video.Script is null);

    public Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var (video, request) = (run.Video, run.Request);
        video.Script = request.Script is { Count: > 0 } callerScript
            ? writer.FromCaller(callerScript, video.Language!, request.TargetDurationSeconds, request.SpeakingRate ?? 1)
            : writer.Write(video.ArticleText!, video.Language!, request.TargetDurationSeconds, request.SpeakingRate ?? 1);
        return Task.FromResult(StageOutcome.Finished);
    }
}

/// <summary>
/// Script → speech and sentence times, in the request's voice and rate (else the tenant's default voice) through the
/// tenant's lexicon; a voice that runs past the target gets a shorter script, spoken again.
/// </summary>
public sealed class NarrationStage(Narrator narrator, ScriptWriter writer, RunScratch scratch, VidPressDbContext db) : IVideoStage
{
    public VideoStage Stage => VideoStage.Narration;
    public double Progress => 12;
    public ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken) => ValueTask.FromResult(run.Video.Narration is null);

    public async Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var (video, request) = (run.Video, run.Request);
        var key = StorageKeys.Narration(video.TenantId, video.Id);
        var speech = scratch.PurposeFor(run, "tts");
        var tenant = await db.Tenants.AsNoTracking().Where(t => t.Id == video.TenantId)
            .Select(t => new { t.DefaultVoice, t.Lexicon }).SingleAsync(cancellationToken);
        var choice = new NarrationChoice(request.Voice, tenant.DefaultVoice, request.SpeakingRate ?? 1, tenant.Lexicon);
        video.Narration = await narrator.NarrateAsync(video.Script!, key, choice, cancellationToken, speech);
        // The script was fitted by an estimate; the voice itself must keep to the target too (within its tolerance).
        if (narrator.Shorten(video.Script!, video.Narration, writer.TargetSeconds(request.TargetDurationSeconds, request.Script is { Count: > 0 })) is { } shorter)
            (video.Script, video.Narration) = (shorter, await narrator.NarrateAsync(shorter, key, choice, cancellationToken, speech));
        return StageOutcome.Finished;
    }
}

/// <summary>Script → candidate shots per sentence, from the tenant's library.</summary>
public sealed class RetrievalStage(ShotRetrieval retrieval, IOptions<JobOptions> options) : IVideoStage
{
    public VideoStage Stage => VideoStage.Retrieval;
    public double Progress => 25;
    public ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken) => ValueTask.FromResult(run.Video.Candidates is null);

    public async Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        run.Video.Candidates = await retrieval.FindAsync(run.Video.TenantId, run.Video.Script!, options.Value.CandidatesPerSentence, cancellationToken);
        return StageOutcome.Finished;
    }
}

/// <summary>Script, narration and candidates → timeline: shots under sentences, overlays, the music bed and its beats.</summary>
public sealed class TimelineStage(TimelineBuilder builder, MusicLibrary music) : IVideoStage
{
    public VideoStage Stage => VideoStage.Timeline;
    public double Progress => 32;
    public ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken) => ValueTask.FromResult(run.Video.Timeline is null);

    public async Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var (video, request) = (run.Video, run.Request);
        var (script, narration, candidates) = (video.Script!, video.Narration!, video.Candidates!);
        var choice = await music.ChooseAsync(video.TenantId, request.Music, video.Id, narration.DurationSeconds, cancellationToken);
        video.Timeline = builder.Build(script, narration, candidates, VideoFormat.Create(request.AspectRatio, request.Resolution), new TimelineExtras
        {
            ArticleTitle = video.Title,
            Anchors = script.Sentences.ToDictionary(s => s.Index, s => (IReadOnlyList<AnchorPoint>)s.Anchors),
            Shots = TimelineExtras.ShotsFrom(candidates),
            Music = choice is null ? null : MusicBed.From(choice),
        });
        return StageOutcome.Finished;
    }
}

/// <summary>
/// Sentences the library could not serve get generated stills when the request (or else the tenant) wants them: the
/// video is handed to <see cref="StillGenerationJob"/> on the GPU workers' queue, which hands it back here to render.
/// </summary>
public sealed class GenerationStage(VidPressDbContext db, IBackgroundJobClient jobs, IOptions<GenerationOptions> generation) : IVideoStage
{
    public VideoStage Stage => VideoStage.Generation;
    public double Progress => 33;

    public async ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var video = run.Video;
        if (video.OutputKey is not null || !generation.Value.Enabled) return false;
        if (video.Timeline!.Clips.All(c => !c.Fallback || c.Generated || c.GenerationError is not null)) return false;
        return video.Request.GenerateStills
            ?? await db.Tenants.Where(t => t.Id == video.TenantId).Select(t => t.GenerationEnabled).SingleAsync(cancellationToken);
    }

    public Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var videoId = run.Video.Id;
        jobs.Enqueue<StillGenerationJob>(j => j.RunAsync(videoId, CancellationToken.None));
        return Task.FromResult(StageOutcome.HandedOff);
    }
}

/// <summary>Timeline → one MP4 and poster per format, in the run's scratch, for the publisher; progress as it draws.</summary>
public sealed class RenderStage(RenderInputs inputs, VideoRenderer renderer, RunScratch scratch, VideoLifecycle lifecycle, TimeProvider clock, ILogger<RenderStage> logger)
    : IVideoStage
{
    public VideoStage Stage => VideoStage.Render;
    public double Progress => VideoRules.RenderStartProgress;
    public ValueTask<bool> IsNeededAsync(VideoRun run, CancellationToken cancellationToken) => ValueTask.FromResult(run.Video.OutputKey is null);

    public async Task<StageOutcome> RunAsync(VideoRun run, CancellationToken cancellationToken)
    {
        var folder = run.Own(scratch.Create(run, "render"));
        var input = await inputs.GatherAsync(run.Video, cancellationToken);
        var lastWrite = DateTimeOffset.MinValue;
        run.Renders = await renderer.RenderFormatsAsync(run.Video.Timeline!, input, folder, fraction =>
        {
            if (clock.GetUtcNow() - lastWrite < TimeSpan.FromSeconds(1)) return;
            lastWrite = clock.GetUtcNow();
            ReportProgress(run, 35 + fraction * 60);
        }, cancellationToken);
        return StageOutcome.Finished;
    }

    private void ReportProgress(VideoRun run, double progress)
    {
        try
        {
            lifecycle.ReportProgress(run.Video.Id, run.Token, Math.Round(progress, 1));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Progress is a display; losing one reading must not fail the render (e.g. while the database restarts).
            logger.LogDebug(e, "Could not record the progress of video {VideoId}", run.Video.Id);
        }
    }
}
