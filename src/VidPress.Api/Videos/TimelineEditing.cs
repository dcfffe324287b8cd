using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Generation;
using VidPress.Core.Jobs;
using VidPress.Core.Library;
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

    // The bounds of an edited timeline (README, "Timeline edits"). Lists may also be as long as the service made them.
    public const int MaxClips = 1000;
    public const int MaxSubtitles = 1000;
    public const int MaxOverlays = 250;
    public const int MaxCueCharacters = 500;
    public const int MaxOverlayCharacters = 200;
    public const int MaxCardTextCharacters = 500;
    public const int MaxClipTextCharacters = 10_000;
    public const int MaxNoteCharacters = 1000;
    /// <summary>Most anchor points a clip may say its asset matched (a sentence has a few; a caller's keywords more).</summary>
    public const int MaxMatchedTerms = 50;
    public const int MaxTitleCharacters = 500;
    public const double MaxCrossfadeSeconds = 2;
    public const double MaxZoom = 4;

    public static RouteGroupBuilder MapTimelineEditing(this RouteGroupBuilder videos)
    {
        videos.MapPut("/{id:guid}/timeline", PutAsync).WithName("EditVideoTimeline")
            .WithSummary("Replace the timeline with an edited one and render the video again")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return videos;
    }

    private static async Task<Results<Accepted<TimelineDocument>, ProblemHttpResult>> PutAsync(
        Guid id, TimelineDocument edited, VidPressDbContext db, VideoLifecycle lifecycle, MusicLibrary music, VideoQueue queue, TenantContext tenant,
        TimeProvider clock, CancellationToken ct)
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

            var (problems, accepted) = await CheckAsync(edited, current, db, music, tenant.TenantId, clock.GetUtcNow(), ct);
            if (accepted is null) return Problems.Validation(problems);
            lifecycle.RequeueForEdit(video, accepted);
            await db.SaveChangesAsync(ct);
            await queue.DispatchAsync(tenant.TenantId, ct);
            return TypedResults.Accepted(PublicUrls.Video(id), accepted);
        }, ct);
    }

    /// <summary>
    /// Checks an edited timeline against the current one and the tenant's library, and makes the document that is
    /// rendered: the problems (by field) and null, or none and the accepted document. Nothing the renderer or the
    /// credits rely on is taken from the client as sent: every asset, shot and music track is resolved through the
    /// tenant (an id of another tenant's reads as unknown), and what follows from them (the asset's title, the music's
    /// key, tempo and beats, whether a picture is AI-generated and its label) is filled in here. The narration, frame,
    /// duration and sentences stay the video's own.
    /// </summary>
    internal static async Task<(Dictionary<string, string[]> Problems, TimelineDocument? Accepted)> CheckAsync(
        TimelineDocument edited, TimelineDocument current, VidPressDbContext db, MusicLibrary musicLibrary, Guid tenantId, DateTimeOffset now,
        CancellationToken ct)
    {
        var problems = new Dictionary<string, string[]>();
        void Add(string field, string message) => problems[field] = problems.TryGetValue(field, out var m) ? [.. m, message] : [message];
        var duration = current.DurationSeconds;

        if (edited.Revision != current.Revision)
            Add("revision", $"The timeline changed since revision {edited.Revision}; fetch revision {current.Revision} and edit that.");
        if (edited.Title is { Length: > MaxTitleCharacters }) Add("title", $"At most {MaxTitleCharacters} characters.");
        if (edited.CrossfadeSeconds is < 0 or > MaxCrossfadeSeconds) Add("crossfadeSeconds", $"Between 0 and {MaxCrossfadeSeconds} seconds.");

        var clips = edited.Clips ?? [];
        var accepted = new List<TimelineClip>();
        if (clips.Count == 0 || clips.Count > Math.Max(MaxClips, current.Clips.Count)) Add("clips", $"Between 1 and {MaxClips} clips.");
        else if (clips.Any(c => c is null)) Add("clips", "No clip may be null.");
        else
        {
            var sentences = current.Sentences.ToDictionary(s => s.Index);
            var assetIds = clips.Where(c => c.AssetId is not null).Select(c => c.AssetId!.Value).Distinct().ToList();
            var assets = await db.Assets.AsNoTracking().Where(a => a.TenantId == tenantId && assetIds.Contains(a.Id))
                .Select(a => new { a.Id, a.Kind, a.Status, a.Title, a.DurationSeconds, a.ExpiresAt, Generated = a.Tags.Contains(StillGenerationJob.AiTag) })
                .ToDictionaryAsync(a => a.Id, ct);
            var shotIds = clips.Where(c => c.ShotId is not null).Select(c => c.ShotId!.Value).Distinct().ToList();
            var shots = await db.Shots.AsNoTracking().Where(s => s.TenantId == tenantId && shotIds.Contains(s.Id))
                .Select(s => new { s.Id, s.AssetId }).ToDictionaryAsync(s => s.Id, ct);

            if (Math.Abs(clips[0].Start) > Tolerance) Add("clips[0].start", "The first clip starts at 0.");
            if (Math.Abs(clips[^1].End - duration) > Tolerance)
                Add($"clips[{clips.Count - 1}].end", $"The last clip ends with the narration, at {duration:0.###} s.");
            for (var i = 0; i < clips.Count; i++)
            {
                var clip = clips[i];
                var field = $"clips[{i}]";
                if (clip.End - clip.Start < 1.0 / current.FrameRate) Add(field, "A clip lasts at least one frame.");
                if (i > 0 && Math.Abs(clip.Start - clips[i - 1].End) > Tolerance) Add($"{field}.start", "Clips follow each other without gaps or overlaps.");
                if (clip.CardText is { Length: > MaxCardTextCharacters }) Add($"{field}.cardText", $"At most {MaxCardTextCharacters} characters.");
                if (clip.MatchedPhrase is { Length: > MaxNoteCharacters }) Add($"{field}.matchedPhrase", $"At most {MaxNoteCharacters} characters.");
                if (clip.MatchedTerms is { } terms && (terms.Count > MaxMatchedTerms || terms.Any(t => t is null || t.Length > MaxNoteCharacters)))
                    Add($"{field}.matchedTerms", $"At most {MaxMatchedTerms} terms of {MaxNoteCharacters} characters.");
                if (clip.GenerationError is { Length: > MaxNoteCharacters }) Add($"{field}.generationError", $"At most {MaxNoteCharacters} characters.");
                if (clip.Part is < 0 or > MaxClips) Add($"{field}.part", $"Between 0 and {MaxClips}.");
                // The words under the clip are its sentence's, as narrated; documents without sentences (version 1) keep theirs.
                var text = clip.Text;
                if (sentences.Count > 0)
                {
                    if (sentences.TryGetValue(clip.SentenceIndex, out var sentence)) text = sentence.Text;
                    else Add($"{field}.sentenceIndex", "Not one of the narrated sentences.");
                }
                else if (text is null || text.Length > MaxClipTextCharacters) Add($"{field}.text", $"Between 0 and {MaxClipTextCharacters} characters.");
                CheckMotion(clip, field, Add);

                string? assetTitle = null;
                if (clip.Kind == ClipKind.TitleCard)
                {
                    if (clip.AssetId is not null) Add($"{field}.assetId", "A title card shows no asset; leave assetId out, or make the clip a shot.");
                    if (clip.ShotId is not null) Add($"{field}.shotId", "A title card shows no shot; leave shotId out, or make the clip a shot.");
                }
                else if (clip.AssetId is not { } assetId) Add($"{field}.assetId", "A shot or still needs the asset it shows.");
                else if (!assets.TryGetValue(assetId, out var asset) || asset.Status != AssetStatus.Ready)
                    Add($"{field}.assetId", "No ready asset with this id in your library.");
                else if (LicencePolicy.HasExpired(asset.ExpiresAt, now))
                    Add($"{field}.assetId", "This asset's licence has expired.");
                else if (clip.Kind == ClipKind.GeneratedStill)
                {
                    // A generated still is an image the service made for this tenant (tagged ai-generated); it has no shots.
                    if (!asset.Generated) Add($"{field}.assetId", "Not an AI-generated still of your library; show it as a still or a video shot.");
                    if (clip.ShotId is not null) Add($"{field}.shotId", "A generated still has no shot; leave shotId out.");
                    assetTitle = "AI-generated";
                }
                else
                {
                    if (asset.Generated) Add($"{field}.kind", "This asset is an AI-generated still: its clip is a generatedStill, labelled as such.");
                    else if ((clip.Kind == ClipKind.VideoShot) != (asset.Kind == AssetKind.Video))
                        Add($"{field}.kind",
                            asset.Kind == AssetKind.Video ? "This asset is a video: its clip is a videoShot." : "This asset is an image: its clip is a still.");
                    if (clip.ShotId is not { } shotId) Add($"{field}.shotId", "A library shot or still names its shot.");
                    else if (!shots.TryGetValue(shotId, out var shot) || shot.AssetId != assetId)
                        Add($"{field}.shotId", "No shot with this id of this asset in your library.");
                    if (clip.Kind == ClipKind.VideoShot && asset.Kind == AssetKind.Video)
                    {
                        if (clip.SourceStart < 0 || clip.SourceStart > asset.DurationSeconds)
                            Add($"{field}.sourceStart", "A video shot starts inside its asset's duration.");
                        if (clip.SourceEnd < 0 || clip.SourceEnd > asset.DurationSeconds + Tolerance)
                            Add($"{field}.sourceEnd", "A video shot ends inside its asset's duration.");
                    }
                    assetTitle = asset.Title;
                }
                // Only a title card or a generated still is a fallback: a fallback card is what the stills generator replaces.
                accepted.Add(clip with
                {
                    Text = text ?? "",
                    AssetTitle = assetTitle,
                    Generated = clip.Kind == ClipKind.GeneratedStill,
                    Fallback = clip.Fallback && clip.Kind is ClipKind.TitleCard or ClipKind.GeneratedStill,
                });
            }
        }

        var subtitles = edited.Subtitles ?? [];
        if (subtitles.Count > Math.Max(MaxSubtitles, current.Subtitles.Count)) Add("subtitles", $"At most {MaxSubtitles} cues.");
        else
            for (var i = 0; i < subtitles.Count; i++)
            {
                var cue = subtitles[i];
                if (cue is null) { Add($"subtitles[{i}]", "A cue, not null."); continue; }
                if (cue.Start < 0 || cue.End > duration + Tolerance || cue.End <= cue.Start)
                    Add($"subtitles[{i}]", "A cue lies inside the video and ends after it starts.");
                if (cue.Text is null || cue.Text.Length > MaxCueCharacters) Add($"subtitles[{i}].text", $"Between 0 and {MaxCueCharacters} characters.");
            }

        // The AI-generated labels are the service's: one over every generated still, whatever the edit sent.
        var overlays = edited.Overlays ?? [];
        var ownOverlays = current.Overlays.Count(o => o.Kind != OverlayKind.GeneratedLabel);
        if (overlays.Count(o => o?.Kind != OverlayKind.GeneratedLabel) > Math.Max(MaxOverlays, ownOverlays))
            Add("overlays", $"At most {MaxOverlays} overlays.");
        else
            for (var i = 0; i < overlays.Count; i++)
            {
                var overlay = overlays[i];
                if (overlay is null) { Add($"overlays[{i}]", "An overlay, not null."); continue; }
                if (overlay.Kind == OverlayKind.GeneratedLabel) continue;
                if (overlay.Start < 0 || overlay.End > duration + Tolerance || overlay.End <= overlay.Start)
                    Add($"overlays[{i}]", "An overlay lies inside the video and ends after it starts.");
                if (overlay.Text is null || overlay.Text.Length > MaxOverlayCharacters)
                    Add($"overlays[{i}].text", $"Between 0 and {MaxOverlayCharacters} characters.");
                if (overlay.Subtitle is { Length: > MaxOverlayCharacters }) Add($"overlays[{i}].subtitle", $"At most {MaxOverlayCharacters} characters.");
            }

        var music = await MusicAsync(edited.Music, current, musicLibrary, tenantId, Add, ct);
        if (problems.Count > 0) return (problems, null);

        var labels = accepted.Where(c => c.Generated).Select(c => new TextOverlay(OverlayKind.GeneratedLabel, c.Start, c.End, "AI-generated image"));
        return (problems, edited with
        {
            Version = current.Version,
            Width = current.Width,
            Height = current.Height,
            FrameRate = current.FrameRate,
            AspectRatio = current.AspectRatio,
            Resolution = current.Resolution,
            NarrationKey = current.NarrationKey,
            DurationSeconds = current.DurationSeconds,
            Language = current.Language,
            Sentences = current.Sentences,
            Selection = current.Selection,
            Revision = current.Revision + 1,
            Clips = accepted,
            Subtitles = subtitles,
            Music = music,
            Overlays = overlays.Where(o => o.Kind != OverlayKind.GeneratedLabel).Concat(labels).ToList(),
        });
    }

    /// <summary>A still's Ken Burns move and crops stay inside the picture, at a zoom the renderer draws in its time.</summary>
    private static void CheckMotion(TimelineClip clip, string field, Action<string, string> add)
    {
        static bool Unit(double v) => v is >= 0 and <= 1;
        static bool Inside(NormalizedRect? r) => r is null || (Unit(r.X) && Unit(r.Y) && r.Width is > 0 and <= 1 && r.Height is > 0 and <= 1
            && r.Right <= 1 + 1e-6 && r.Bottom <= 1 + 1e-6);
        if (clip.Motion is { } m && !(m.StartZoom is >= 1 and <= MaxZoom && m.EndZoom is >= 1 and <= MaxZoom
            && Unit(m.StartCenterX) && Unit(m.StartCenterY) && Unit(m.EndCenterX) && Unit(m.EndCenterY)))
            add($"{field}.motion", $"Zooms between 1 and {MaxZoom}, centres between 0 and 1.");
        if (clip.Crops is { } c && !(Inside(c.Start) && Inside(c.End) && Inside(c.Salient)))
            add($"{field}.crops", "Rectangles inside the picture (0 to 1).");
    }

    /// <summary>
    /// The music of the edit: none, or the tenant's track named by <c>music.id</c>, with its key, tempo and beats
    /// filled in from the track. A document stored before ids may send its music back unchanged (by its key alone).
    /// </summary>
    private static async Task<MusicBed?> MusicAsync(MusicBed? edited, TimelineDocument current, MusicLibrary musicLibrary, Guid tenantId,
        Action<string, string> add, CancellationToken ct)
    {
        if (edited is null) return null;
        MusicBed named;
        if (edited.Id is not null) named = edited;
        else if (current.Music is { Id: null } old && edited.TrackKey == old.TrackKey) named = old;
        else
        {
            add("music.id", "Name the music track by its id (GET /library/music), or send no music.");
            return null;
        }
        if (await musicLibrary.FindAsync(tenantId, named.Id, named.TrackKey, ct) is not { } track)
        {
            add("music.id", "No music track with this id in your library.");
            return null;
        }
        return MusicBed.From(MusicLibrary.ChoiceFor(track, current.DurationSeconds));
    }
}
