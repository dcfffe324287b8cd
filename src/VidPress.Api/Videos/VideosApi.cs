using System.Text.Json;
using Hangfire;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Jobs;
using VidPress.Core.Library;
using VidPress.Core.Media;
using VidPress.Core.Narration;
using VidPress.Core.Network;
using VidPress.Core.Script;
using VidPress.Core.Timeline;
using VidPress.Core.Videos;

namespace VidPress.Api.Videos;

public static class VideosApi
{
    public const int MaxTextCharacters = 100_000;
    public const int MaxScriptSentences = 200;
    public const int MaxScriptSentenceCharacters = 1000;
    public const int MaxKeywordsPerSentence = 20;
    public const int MaxKeywordCharacters = 100;
    public const int MaxTitleCharacters = 500;
    public const int MaxUrlCharacters = 2048;
    public const int MaxMusicCharacters = 100;
    public const int MaxFormats = 5;
    public const int MaxReferenceCharacters = 200;
    public const int MaxMetadataEntries = 20;
    public const int MaxMetadataKeyCharacters = 40;
    public const int MaxMetadataValueCharacters = 500;

    public static IEndpointRouteBuilder MapVideosApi(this IEndpointRouteBuilder app)
    {
        var videos = app.MapGroup("/videos").WithTags("Videos").WithApiProblems();
        videos.MapPost("/", CreateAsync).WithName("CreateVideo").WithSummary("Turn an article into a narrated video").AcceptsIdempotencyKey()
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status413PayloadTooLarge).ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        videos.MapVideoListing();
        videos.MapGet("/queue", (VideoQueue queue, TenantContext tenant, CancellationToken ct) => queue.ViewAsync(tenant.TenantId, ct)).WithName("GetVideoQueue")
            .WithSummary("Each queue's depth (jobs waiting for a worker, all tenants) and the video queues' mean wait; this tenant's held and handed-over videos");
        videos.MapGet("/{id:guid}", GetAsync).WithName("GetVideo").WithSummary("Status, stage, progress, error and links of one video").ProducesProblem(StatusCodes.Status404NotFound);
        videos.MapGet("/{id:guid}/script", GetScriptAsync).WithName("GetVideoScript").WithSummary("The narration script with tags and anchor points")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapGet("/{id:guid}/timeline", GetTimelineAsync).WithName("GetVideoTimeline")
            .WithSummary("Per clip: time, shot, score and why it was chosen; subtitles and overlays").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapFileGet("/{id:guid}/file", GetFileAsync, [FileEndpoints.Mp4]).WithName("GetVideoFile")
            .WithSummary("The MP4 (range requests); ?format=9x16-1080p for a further format").ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapFileGet("/{id:guid}/download", DownloadAsync, [FileEndpoints.Mp4], anonymous: true).WithName("DownloadVideo")
            .WithSummary("The MP4 through a signed, expiring link (links.download, or links.downloads for one format); no API key needed")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        videos.MapFileGet("/{id:guid}/poster", GetPosterAsync, [FileEndpoints.Jpeg]).WithName("GetVideoPoster").WithSummary("A poster frame of the video (JPEG)")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapFileGet("/{id:guid}/subtitles", GetSubtitlesAsync, SubtitleMediaTypes, entityTag: true).WithName("GetVideoSubtitles")
            .WithSummary("The subtitles as a sidecar file: ?format=srt (SubRip) or ?format=vtt (WebVTT), UTF-8, from the timeline's cues")
            .TakesQueryEnum<SubtitleFormat>("format")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapFileGet("/{id:guid}/subtitles/download", DownloadSubtitlesAsync, SubtitleMediaTypes, anonymous: true, entityTag: true).WithName("DownloadVideoSubtitles")
            .WithSummary("The subtitles through a signed, expiring link (links.subtitlesDownload); no API key needed, any origin may read it (a player's <track>)")
            .TakesQueryEnum<SubtitleFormat>("format")
            .ProducesProblem(StatusCodes.Status403Forbidden).ProducesProblem(StatusCodes.Status404NotFound);
        videos.MapTimelineEditing();
        videos.MapGet("/{id:guid}/credits", VideoCredits.GetAsync).WithName("GetVideoCredits")
            .WithSummary("The credit line and licence of every library shot the video uses")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapGet("/{id:guid}/deliveries", GetDeliveriesAsync).WithName("GetVideoDeliveries").WithSummary("Every webhook delivery attempt for the video")
            .ProducesProblem(StatusCodes.Status404NotFound);
        videos.MapPost("/{id:guid}/cancel", CancelAsync).WithName("CancelVideo").WithSummary("Stop a queued or running video")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        videos.MapPost("/{id:guid}/retry", RetryAsync).WithName("RetryVideo").WithSummary("Run a failed or cancelled video again, keeping its finished stages")
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        return app;
    }

    private static async Task<Results<Accepted<VideoResponse>, ProblemHttpResult>> CreateAsync(
        CreateVideoRequest body, HttpRequest http, VidPressDbContext db, VideoQueue queue, TenantContext tenant,
        VoiceCatalogue voices, TimeProvider clock, CancellationToken ct)
    {
        if (!Idempotency.TryReadKey(http, out var idempotencyKey, out var badKey)) return badKey;
        // The bound request re-serialised: key order and whitespace of the caller's JSON do not count.
        var requestHash = Idempotency.Hash([JsonSerializer.Serialize(body, DocumentJson.Options)]);
        if (idempotencyKey is not null && await ReplayAsync(db, tenant, idempotencyKey, requestHash, ct) is { } replay) return replay;

        var problems = Validate(body);
        if (problems.Count == 0) await ValidatePinnedAssetsAsync(body, db, tenant, clock.GetUtcNow(), problems, ct);
        if (problems.Count > 0) return Problems.Validation(problems);
        // The article's language is known here unless it comes from a URL; the narration stage checks the voice again then.
        if (body.Voice is not null && await voices.ProblemAsync(body.Voice, KnownLanguage(body), ct) is { } voiceProblem)
            return Problems.Unprocessable("The voice cannot narrate this video.", voiceProblem);
        var priority = PriorityOf(body);
        if (priority == VideoPriority.Breaking && !await db.Tenants.AnyAsync(t => t.Id == tenant.TenantId && t.AllowBreaking, ct))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Breaking priority is not allowed for this tenant.",
                detail: "Send the video without 'priority' (or \"normal\"); an operator can allow breaking news for the tenant with 'admin breaking --tenant NAME on'.");
        if (await queue.AdmitAsync(tenant.TenantId, priority, ct) is { } full)
            return Problems.QueueFull(http.HttpContext.Response, "Too many queued videos.",
                $"This tenant has {full.InQueue} videos queued, the most it may have ({full.Limit}); the queue should have room by then.", full.RetryAfter);

        var video = new Video
        {
            Id = Guid.NewGuid(),
            TenantId = tenant.TenantId,
            // The caller's title from the start (a queued video is listed and found by it); the article stage keeps it.
            Title = string.IsNullOrWhiteSpace(body.Title) ? null : body.Title,
            Request = new VideoRequest
            {
                Text = body.Text, Url = body.Url, Title = body.Title, Language = body.Language is null ? null : Languages.Normalise(body.Language),
                TargetDurationSeconds = body.TargetDurationSeconds ?? 0, AspectRatio = body.AspectRatio ?? "16:9",
                Resolution = body.Resolution ?? "720p", CallbackUrl = body.CallbackUrl, GenerateStills = body.GenerateStills, Music = string.IsNullOrWhiteSpace(body.Music) || body.Music == "none" ? null : body.Music.Trim(),
                Formats = body.Formats?.ToList(), Fit = body.Fit,
                Script = body.Script?.Select(s => new CallerSentence(s.Text!.Trim(),
                    s.Keywords?.Select(k => k.Trim()).Where(k => k.Length > 0).Distinct().ToList(), s.AssetId)).ToList(),
                BurnSubtitles = body.BurnSubtitles ?? true,
                Voice = body.Voice, SpeakingRate = body.SpeakingRate,
            },
            Reference = body.Reference,
            Priority = priority,
            Metadata = body.Metadata is { Count: > 0 } metadata ? new Dictionary<string, string>(metadata) : null,
            IdempotencyKey = idempotencyKey,
            RequestHash = idempotencyKey is null ? null : requestHash,
        };
        try
        {
            await queue.CreateAsync(video, ct);
        }
        catch (DbUpdateException e) when (idempotencyKey is not null && Idempotency.IsKeyConflict(e, "videos"))
        {
            db.ChangeTracker.Clear();
            return await ReplayAsync(db, tenant, idempotencyKey, requestHash, ct) ?? throw new InvalidOperationException("The conflicting video is gone.", e);
        }
        return TypedResults.Accepted(PublicUrls.Video(video.Id), VideoResponse.From(video));
    }

    /// <summary>The request's priority ("normal" when not given; <see cref="Validate"/> has refused any other word).</summary>
    private static VideoPriority PriorityOf(CreateVideoRequest body) =>
        string.Equals(body.Priority?.Trim(), "breaking", StringComparison.OrdinalIgnoreCase) ? VideoPriority.Breaking : VideoPriority.Normal;

    /// <summary>The answer to a repeated Idempotency-Key: the first request's video, or 422 for a different request.</summary>
    private static async Task<Results<Accepted<VideoResponse>, ProblemHttpResult>?> ReplayAsync(
        VidPressDbContext db, TenantContext tenant, string key, string requestHash, CancellationToken ct)
    {
        var earlier = await db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.TenantId == tenant.TenantId && v.IdempotencyKey == key, ct);
        if (earlier is null) return null;
        if (earlier.RequestHash != requestHash) return Idempotency.Mismatch();
        return TypedResults.Accepted(PublicUrls.Video(earlier.Id), VideoResponse.From(earlier));
    }

    internal static Dictionary<string, string[]> Validate(CreateVideoRequest body)
    {
        var problems = new Dictionary<string, string[]>();
        var hasText = !string.IsNullOrWhiteSpace(body.Text);
        var hasUrl = !string.IsNullOrWhiteSpace(body.Url);
        var hasScript = body.Script is not null;
        var given = (hasText ? 1 : 0) + (hasUrl ? 1 : 0) + (hasScript ? 1 : 0);
        if (given == 0) problems["text"] = ["Give the article as 'text' or 'url', or your own 'script'."];
        if (given > 1) problems[hasScript ? "script" : "url"] = ["Give exactly one of 'text', 'url' and 'script'."];
        if (hasScript) ValidateScript(body.Script!, problems);
        if (body.Priority is { } priority && !(priority.Trim().ToLowerInvariant() is "normal" or "breaking"))
            problems["priority"] = ["'priority' is \"normal\" (the default) or \"breaking\"."];
        if (body.Text is { Length: > MaxTextCharacters }) problems["text"] = [$"The text is longer than {MaxTextCharacters} characters."];
        if (body.Url is { Length: > MaxUrlCharacters }) problems["url"] = [$"URLs of at most {MaxUrlCharacters} characters."];
        else if (hasUrl) TryUrl("url", body.Url!, problems);
        if (body.CallbackUrl is { Length: > MaxUrlCharacters }) problems["callbackUrl"] = [$"URLs of at most {MaxUrlCharacters} characters."];
        else if (!string.IsNullOrWhiteSpace(body.CallbackUrl)) TryUrl("callbackUrl", body.CallbackUrl!, problems);
        if (body.Music is { Length: > MaxMusicCharacters })
            problems["music"] = [$"\"none\", \"auto\" or a mood tag of at most {MaxMusicCharacters} characters."];
        if (body.Title is { Length: > MaxTitleCharacters }) problems["title"] = [$"The title is longer than {MaxTitleCharacters} characters."];
        if (body.Language is not null && !Languages.IsSupported(body.Language))
            problems["language"] = [$"Supported languages: {string.Join(", ", Languages.Supported)}."];
        if (body.TargetDurationSeconds is < 5 or > ScriptWriter.MaxTargetSeconds)
            problems["targetDurationSeconds"] = [$"Between 5 and {ScriptWriter.MaxTargetSeconds} seconds."];
        if (!VideoFormat.TryCreate(body.AspectRatio ?? "16:9", "720p", out _))
            problems["aspectRatio"] = [$"One of {string.Join(", ", VideoFormat.AspectRatios)}."];
        if (!VideoFormat.TryCreate("16:9", body.Resolution ?? "720p", out _))
            problems["resolution"] = [$"One of {string.Join(", ", VideoFormat.Resolutions)}."];
        if (body.Formats is { Count: > MaxFormats }) problems["formats"] = [$"At most {MaxFormats} further formats."];
        else foreach (var (format, i) in (body.Formats ?? []).Select((f, i) => (f, i)))
            if (format is null || !VideoFormat.TryCreate(format.AspectRatio, format.Resolution, out _))
                problems[$"formats[{i}]"] = [$"An aspectRatio of {string.Join(", ", VideoFormat.AspectRatios)} and a resolution of {string.Join(", ", VideoFormat.Resolutions)}."];
        if (body.Fit is not null and not ("crop" or "letterbox")) problems["fit"] = ["\"crop\" or \"letterbox\"."];
        if (body.Reference is not null && ReferenceProblem(body.Reference) is { } badReference) problems["reference"] = [badReference];
        if (body.Metadata is not null) ValidateMetadata(body.Metadata, problems);
        if (body.Voice is { } voice && (voice.Length is 0 or > VoiceCatalogue.MaxVoiceIdCharacters || voice.Any(char.IsControl)))
            problems["voice"] = [$"A voice id of GET /voices (1–{VoiceCatalogue.MaxVoiceIdCharacters} characters)."];
        if (body.SpeakingRate is < VoiceCatalogue.MinSpeakingRate or > VoiceCatalogue.MaxSpeakingRate)
            problems["speakingRate"] = [$"Between {VoiceCatalogue.MinSpeakingRate} and {VoiceCatalogue.MaxSpeakingRate} (a factor on the deployment's pace)."];
        return problems;
    }

    /// <summary>The language the video will be narrated in, when the request says it or its text shows it; null for a URL's article.</summary>
    private static string? KnownLanguage(CreateVideoRequest body) =>
        body.Language is not null ? Languages.Normalise(body.Language)
        : !string.IsNullOrWhiteSpace(body.Text) ? Languages.Choose(null, body.Text)
        : body.Script is { Count: > 0 } script ? Languages.Choose(null, string.Join(" ", script.Select(s => s.Text)))
        : null;

    /// <summary>What is wrong with a caller's reference (1–200 characters, not blank, no control characters); null when fine.</summary>
    internal static string? ReferenceProblem(string reference) =>
        reference.Length > MaxReferenceCharacters ? $"At most {MaxReferenceCharacters} characters."
        : string.IsNullOrWhiteSpace(reference) ? "The reference is blank; leave it out instead."
        : reference.Any(char.IsControl) ? "No control characters (line breaks, tabs …)."
        : null;

    /// <summary>
    /// At most 20 entries; keys of 1–40 letters, digits, '-', '_' or '.' (so a CMS can map them to its fields as they
    /// are); values of at most 500 characters without control characters. A field names the key only once it is one.
    /// </summary>
    private static void ValidateMetadata(IReadOnlyDictionary<string, string> metadata, Dictionary<string, string[]> problems)
    {
        if (metadata.Count > MaxMetadataEntries) { problems["metadata"] = [$"At most {MaxMetadataEntries} entries; it has {metadata.Count}."]; return; }
        foreach (var (key, value) in metadata)
        {
            if (key.Length is 0 or > MaxMetadataKeyCharacters || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                problems["metadata"] = [$"Keys are 1–{MaxMetadataKeyCharacters} characters of ASCII letters, digits, '-', '_' and '.'."];
                continue;
            }
            if (value is null) problems[$"metadata.{key}"] = ["A string value; leave the key out instead of null."];
            else if (value.Length > MaxMetadataValueCharacters) problems[$"metadata.{key}"] = [$"At most {MaxMetadataValueCharacters} characters."];
            else if (value.Any(char.IsControl)) problems[$"metadata.{key}"] = ["No control characters (line breaks, tabs …)."];
        }
    }

    private static void ValidateScript(IReadOnlyList<ScriptSentenceRequest?> script, Dictionary<string, string[]> problems)
    {
        if (script.Count == 0) { problems["script"] = ["The script has no sentences."]; return; }
        if (script.Count > MaxScriptSentences) { problems["script"] = [$"The script has {script.Count} sentences; at most {MaxScriptSentences}."]; return; }
        for (var i = 0; i < script.Count; i++)
        {
            var sentence = script[i];
            var field = $"script[{i}]";
            if (sentence is null || string.IsNullOrWhiteSpace(sentence.Text)) { problems[$"{field}.text"] = ["The sentence is empty."]; continue; }
            if (sentence.Text.Length > MaxScriptSentenceCharacters)
                problems[$"{field}.text"] = [$"The sentence is {sentence.Text.Length} characters long; at most {MaxScriptSentenceCharacters}."];
            if (sentence.Keywords is { } keywords)
            {
                if (keywords.Count > MaxKeywordsPerSentence) problems[$"{field}.keywords"] = [$"At most {MaxKeywordsPerSentence} keywords."];
                else if (keywords.Any(k => string.IsNullOrWhiteSpace(k) || k.Length > MaxKeywordCharacters))
                    problems[$"{field}.keywords"] = [$"Keywords must be non-empty and at most {MaxKeywordCharacters} characters."];
            }
            if (sentence.AssetId == Guid.Empty) problems[$"{field}.assetId"] = ["Not an asset id."];
        }
    }

    /// <summary>A pinned asset must be one of the tenant's own, ready to use and licensed; another tenant's id reads as unknown.</summary>
    private static async Task ValidatePinnedAssetsAsync(CreateVideoRequest body, VidPressDbContext db, TenantContext tenant, DateTimeOffset now,
        Dictionary<string, string[]> problems, CancellationToken ct)
    {
        if (body.Script is null) return;
        var pinned = body.Script.Select(s => s.AssetId).OfType<Guid>().Distinct().ToList();
        if (pinned.Count == 0) return;
        var ready = await db.Assets.AsNoTracking()
            .Where(a => a.TenantId == tenant.TenantId && pinned.Contains(a.Id)).Where(LicencePolicy.Pickable(now))
            .Select(a => a.Id).ToListAsync(ct);
        for (var i = 0; i < body.Script.Count; i++)
            if (body.Script[i].AssetId is { } id && !ready.Contains(id))
                problems[$"script[{i}].assetId"] = [$"No ready asset {id} with a current licence in your library."];
    }

    private static async Task<Results<Ok<ScriptDocument>, ProblemHttpResult>> GetScriptAsync(Guid id, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        var video = await Find(db, tenant, id, ct);
        if (video is null) return Problems.NotFound("video", id);
        return video.Script is null ? Problems.NotReady("The script is not written yet.") : TypedResults.Ok(video.Script);
    }

    private static void TryUrl(string field, string url, Dictionary<string, string[]> problems)
    {
        try { OutboundHttp.ValidateUrl(url); }
        catch (BlockedDestinationException e) { problems[field] = [e.Message]; }
    }

    /// <param name="reference">Only the videos made with this reference (the caller's own id), exactly.</param>
    private static async Task<Results<Ok<VideoResponse>, ProblemHttpResult>> GetAsync(Guid id, VidPressDbContext db, TenantContext tenant, DownloadLinks links, CancellationToken ct)
    {
        var video = await Find(db, tenant, id, ct);
        return video is null ? Problems.NotFound("video", id) : TypedResults.Ok(VideoResponse.From(video).WithDownload(links));
    }

    private static async Task<Results<Ok<TimelineDocument>, ProblemHttpResult>> GetTimelineAsync(Guid id, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        var video = await Find(db, tenant, id, ct);
        if (video is null) return Problems.NotFound("video", id);
        return video.Timeline is null ? Problems.NotReady("The timeline is not built yet.") : TypedResults.Ok(video.Timeline);
    }

    /// <param name="format">One of the video's formats, named like "9x16-1080p"; the main one when absent.</param>
    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetFileAsync(Guid id, string? format, VidPressDbContext db, TenantContext tenant, IMediaStorage storage, CancellationToken ct)
    {
        var video = await Find(db, tenant, id, ct);
        if (video is null) return Problems.NotFound("video", id);
        if (video.OutputKey is null) return Problems.NotReady("The video is not rendered yet.");
        if (!TryOutputKey(video.OutputKey, video.Outputs, format, out var key, out var missing)) return missing;
        return await Mp4Async(id, key, video.Outputs, storage, ct);
    }

    /// <summary>
    /// The MP4 under <paramref name="key"/>, with ranges, and a strong ETag of its bytes where the publish recorded them: a
    /// player's revalidation is a 304 and a resumed download (If-Range) gets the rest only while the file is the same render.
    /// </summary>
    private static async Task<PhysicalFileHttpResult> Mp4Async(Guid id, string key, IReadOnlyList<VideoOutput> outputs, IMediaStorage storage, CancellationToken ct)
    {
        var sha = outputs.FirstOrDefault(o => o.Key == key)?.Sha256;
        var tag = sha is null ? null : new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"" + sha[..32] + "\"");
        return TypedResults.PhysicalFile(await storage.GetLocalPathAsync(key, ct), FileEndpoints.Mp4, $"{id}.mp4", entityTag: tag, enableRangeProcessing: true);
    }

    /// <summary>The storage key of the format named <paramref name="format"/> (the main one when null), or a 404 naming the formats there are.</summary>
    private static bool TryOutputKey(string outputKey, IReadOnlyList<VideoOutput> outputs, string? format, out string key, out ProblemHttpResult missing)
    {
        (key, missing) = (outputKey, null!);
        if (format is null) return true;
        var names = outputs.Select(o => StorageKeys.FormatName(o.AspectRatio, o.Resolution)).ToList();
        var index = names.IndexOf(format);
        if (index >= 0) { key = outputs[index].Key; return true; }
        missing = TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "The video has no such format.",
            detail: $"Formats: {string.Join(", ", names)}.");
        return false;
    }

    /// <summary>The signature is the authorisation: it names the video, so no tenant check is needed; 403 says nothing about whether the video exists.</summary>
    /// <param name="format">The format the link was signed for (links.downloads); the main one when absent.</param>
    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> DownloadAsync(
        Guid id, long? expires, string? sig, string? format, DownloadLinks links, VidPressDbContext db, IMediaStorage storage, CancellationToken ct)
    {
        if (expires is null || !links.IsValid(id, expires.Value, sig, format))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The download link is not valid or has expired.",
                detail: "Ask GET /videos/{id} (with your API key) for a fresh links.download or links.downloads.");
        var video = await db.Videos.AsNoTracking().Where(v => v.Id == id).Select(v => new { v.OutputKey, v.Outputs }).SingleOrDefaultAsync(ct);
        if (video?.OutputKey is null) return Problems.NotFound("video", id);
        if (!TryOutputKey(video.OutputKey, video.Outputs, format, out var key, out var missing)) return missing;
        return await Mp4Async(id, key, video.Outputs, storage, ct);
    }

    private static readonly string[] SubtitleMediaTypes = ["text/vtt", "application/x-subrip"];

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetSubtitlesAsync(
        Guid id, string? format, VidPressDbContext db, TenantContext tenant, IOptions<TimelineOptions> options, HttpResponse response, CancellationToken ct)
    {
        if (!SidecarSubtitles.TryParse(format, out var kind))
            return Problems.Validation(new Dictionary<string, string[]> { ["format"] = ["\"srt\" or \"vtt\"."] });
        var video = await Find(db, tenant, id, ct);
        if (video is null) return Problems.NotFound("video", id);
        if (video.Timeline is null) return Problems.NotReady("The timeline is not built yet.");
        return Subtitles(video.Timeline, kind, options.Value, response);
    }

    /// <summary>The signature is the authorisation, as for the MP4; any origin may read the file, so a player on the CMS's site can load it as a &lt;track&gt;.</summary>
    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> DownloadSubtitlesAsync(
        Guid id, string? format, long? expires, string? sig, DownloadLinks links, VidPressDbContext db, IOptions<TimelineOptions> options,
        HttpResponse response, CancellationToken ct)
    {
        if (!SidecarSubtitles.TryParse(format, out var kind) || expires is null || !links.IsValidSubtitles(id, kind, expires.Value, sig))
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "The subtitles link is not valid or has expired.",
                detail: "Ask GET /videos/{id} (with your API key) for a fresh links.subtitlesDownload.");
        var timeline = await db.Videos.AsNoTracking().Where(v => v.Id == id).Select(v => v.Timeline).SingleOrDefaultAsync(ct);
        if (timeline is null) return Problems.NotFound("video", id);
        response.Headers.AccessControlAllowOrigin = "*";
        return Subtitles(timeline, kind, options.Value, response);
    }

    /// <summary>The file, in the timeline's language, with a strong ETag of its bytes (a player's revalidation is a 304).</summary>
    private static FileContentHttpResult Subtitles(TimelineDocument timeline, SubtitleFormat format, TimelineOptions options, HttpResponse response)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(SidecarSubtitles.Write(timeline, format, options.EnglishCharactersPerLine, options.ChineseCharactersPerLine));
        response.Headers.ContentLanguage = timeline.Language;
        var tag = new Microsoft.Net.Http.Headers.EntityTagHeaderValue("\"" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes).AsSpan(0, 16)) + "\"");
        return TypedResults.Bytes(bytes, SidecarSubtitles.ContentType(format), entityTag: tag, enableRangeProcessing: true);
    }

    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> GetPosterAsync(Guid id, VidPressDbContext db, TenantContext tenant, IMediaStorage storage, CancellationToken ct)
    {
        var video = await Find(db, tenant, id, ct);
        if (video is null) return Problems.NotFound("video", id);
        if (video.PosterKey is null) return Problems.NotReady("The video is not rendered yet.");
        return TypedResults.PhysicalFile(await storage.GetLocalPathAsync(video.PosterKey, ct), FileEndpoints.Jpeg, enableRangeProcessing: true);
    }

    private static async Task<Results<Ok<DeliveryResponse[]>, ProblemHttpResult>> GetDeliveriesAsync(Guid id, VidPressDbContext db, TenantContext tenant, CancellationToken ct)
    {
        if (await Find(db, tenant, id, ct) is null) return Problems.NotFound("video", id);
        var deliveries = await db.WebhookDeliveries.AsNoTracking().Where(d => d.VideoId == id && d.TenantId == tenant.TenantId)
            .OrderBy(d => d.CreatedAt).ToListAsync(ct);
        return TypedResults.Ok(deliveries.Select(d => new DeliveryResponse(d.WebhookId, d.EventType, d.Url, d.Attempt, d.StatusCode, d.Succeeded, d.Error, d.CreatedAt)).ToArray());
    }

    /// <summary>
    /// Asks the running job to stop (it polls the flag and kills its ffmpeg); a video still queued is
    /// cancelled at once, and its job finds nothing to do. Cancelling twice is harmless.
    /// </summary>
    private static async Task<Results<Accepted<VideoResponse>, ProblemHttpResult>> CancelAsync(
        Guid id, VideoLifecycle lifecycle, TenantContext tenant, CancellationToken ct)
    {
        var video = await lifecycle.RequestCancelAsync(tenant.TenantId, id, ct);
        if (video is null) return Problems.NotFound("video", id);
        if (!VideoRules.CancelAccepted(video))
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not cancellable.", detail: $"The video has already {video.Status.ToString().ToLowerInvariant()}.");
        return TypedResults.Accepted(PublicUrls.Video(id), VideoResponse.From(video));
    }

    /// <summary>Queues a failed or cancelled video again; the new run resumes after the last finished stage.</summary>
    private static async Task<Results<Accepted<VideoResponse>, ProblemHttpResult>> RetryAsync(
        Guid id, VidPressDbContext db, VideoLifecycle lifecycle, VideoQueue queue, TenantContext tenant, CancellationToken ct)
    {
        // With its enqueueing: if the job cannot be enqueued, the video stays as it was (failed or cancelled,
        // retryable) instead of queued with no job.
        return await db.Database.InTransactionAsync(async () =>
        {
            var requeued = await lifecycle.RetryAsync(tenant.TenantId, id, ct);
            var video = await lifecycle.FindAsync(tenant.TenantId, id, ct);
            if (video is null) return (Results<Accepted<VideoResponse>, ProblemHttpResult>)Problems.NotFound("video", id);
            if (!requeued)
                return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not retryable.",
                    detail: $"Only failed or cancelled videos can be retried; this one is {video.Status.ToString().ToLowerInvariant()}.");
            // Queued again, held: handed to the workers now if the tenant's share has room, else after its runs ahead.
            await queue.DispatchAsync(tenant.TenantId, ct);
            return TypedResults.Accepted(PublicUrls.Video(id), VideoResponse.From(video));
        }, ct);
    }

    private static Task<Video?> Find(VidPressDbContext db, TenantContext tenant, Guid id, CancellationToken ct) =>
        db.Videos.AsNoTracking().SingleOrDefaultAsync(v => v.Id == id && v.TenantId == tenant.TenantId, ct);
}
