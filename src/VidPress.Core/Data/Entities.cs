using Pgvector;
using VidPress.Core.Library;
using VidPress.Core.Narration;
using VidPress.Core.Script;
using VidPress.Core.Timeline;

namespace VidPress.Core.Data;

/// <summary>A newsroom that uses the service. Every row of tenant data carries its id.</summary>
public sealed class Tenant
{
    public static readonly Guid DefaultId = Guid.Parse("00000000-0000-0000-0000-000000000001");

    public Guid Id { get; set; }
    public required string Name { get; set; }
    /// <summary>Standard Webhooks signing secret ("whsec_" + base64); null means the service-wide default.</summary>
    public string? WebhookSecret { get; set; }
    /// <summary>Whether videos of this tenant may use generated stills where the library has nothing fitting.</summary>
    public bool GenerationEnabled { get; set; }
    /// <summary>Requests per minute this tenant may make; null means the service-wide default.</summary>
    public int? RequestsPerMinute { get; set; }
    /// <summary>The voice (a <c>GET /voices</c> id) the tenant's videos are narrated with when the request names none and it reads the article's language.</summary>
    public string? DefaultVoice { get; set; }
    /// <summary>Names spelled the way the speech engine should say them; applied to narration only, never to subtitles.</summary>
    public List<LexiconEntry> Lexicon { get; set; } = [];
    /// <summary>Whether this tenant's requests may ask for <see cref="VideoPriority.Breaking"/> (an operator's choice; off by default).</summary>
    public bool AllowBreaking { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>
/// An API key of a tenant. Only a SHA-256 hash of the key is stored: keys are 256-bit random strings,
/// so a fast hash is enough, and the prefix finds the row without scanning.
/// </summary>
public sealed class ApiKey
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Name { get; set; }
    public required string Prefix { get; set; }
    public required string KeyHash { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>A music bed in a tenant's library, tagged by mood, with its beats tracked once at upload.</summary>
public sealed class MusicTrack
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public required string Title { get; set; }
    public List<string> Moods { get; set; } = [];
    public required string StorageKey { get; set; }
    public required string Sha256 { get; set; }
    public double DurationSeconds { get; set; }
    public double TempoBpm { get; set; }
    public List<double> Beats { get; set; } = [];
    public string? CreditLine { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

/// <summary>A format asked for: aspect ratio and resolution as in the request.</summary>
public sealed record FormatRequest(string AspectRatio, string Resolution);

/// <summary>
/// One rendered file of a video: the video can be asked for in several formats. <see cref="Sha256"/> is the hash of the
/// MP4 as published (the file's ETag); null for videos published before it was recorded.
/// </summary>
public sealed record VideoOutput(string AspectRatio, string Resolution, int Width, int Height, string Key, string? PosterKey, string? Sha256 = null);

public enum VideoStatus { Queued, Running, Succeeded, Failed, Cancelled }

/// <summary>The stages a video goes through, in order. A retried job resumes after the last finished one.</summary>
public enum VideoStage { Queued, Article, Script, Narration, Retrieval, Timeline, Generation, Render, Delivery, Done }

/// <summary>One requested video: the request, each finished stage's result and the outputs.</summary>
public sealed class Video
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public VideoStatus Status { get; set; }
    public VideoStage Stage { get; set; }
    public double Progress { get; set; }
    public required VideoRequest Request { get; set; }
    /// <summary>The caller's own id for the video (its CMS's story or asset id), echoed in responses and every webhook.</summary>
    public string? Reference { get; set; }
    /// <summary>A few string pairs of the caller's (desk, slot, …), kept with the video and echoed like <see cref="Reference"/>.</summary>
    public Dictionary<string, string>? Metadata { get; set; }
    public string? Title { get; set; }
    public string? Language { get; set; }
    public string? ArticleText { get; set; }
    public ScriptDocument? Script { get; set; }
    public NarrationDocument? Narration { get; set; }
    public CandidatesDocument? Candidates { get; set; }
    public TimelineDocument? Timeline { get; set; }
    /// <summary>Every rendered format; the first is the one asked for first (and <see cref="OutputKey"/>).</summary>
    public List<VideoOutput> Outputs { get; set; } = [];
    public string? OutputKey { get; set; }
    public string? PosterKey { get; set; }
    public double? DurationSeconds { get; set; }
    public double? RenderSeconds { get; set; }
    public string? Error { get; set; }
    /// <summary>Counts job runs and doubles as the fencing token: only the run holding the latest value may publish.</summary>
    public int Attempt { get; set; }
    /// <summary>
    /// <see cref="Attempt"/> when the current making of the video began (0; a retry or a timeline edit sets it):
    /// the runs it may take before failing for good are counted from here, not from the video's first run.
    /// </summary>
    public int AttemptsBefore { get; set; }
    public bool CancelRequested { get; set; }
    /// <summary>The caller's Idempotency-Key and a hash of the request it came with.</summary>
    public string? IdempotencyKey { get; set; }
    public string? RequestHash { get; set; }
    /// <summary>Which queue the video's runs wait on: breaking news is served before everything else.</summary>
    public VideoPriority Priority { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    /// <summary>When the latest run took the video (its fencing token); what the queue's wait and a run's duration are read from.</summary>
    public DateTimeOffset? StartedAt { get; set; }
    /// <summary>
    /// When the video was handed to the workers' queue (its Hangfire job enqueued); null while it is queued but held back,
    /// because its tenant already has its share of videos with the workers (<see cref="Videos.HeldVideos"/>).
    /// </summary>
    public DateTimeOffset? DispatchedAt { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}

/// <summary>How urgent a video is: breaking news overtakes every normal video still waiting.</summary>
public enum VideoPriority { Normal, Breaking }

/// <summary>What the caller asked for, as validated at the API.</summary>
public sealed record VideoRequest
{
    public string? Text { get; init; }
    public string? Url { get; init; }
    public string? Title { get; init; }
    public string? Language { get; init; }
    public double TargetDurationSeconds { get; init; }
    public required string AspectRatio { get; init; }
    public required string Resolution { get; init; }
    public string? CallbackUrl { get; init; }
    /// <summary>Generate stills for sentences the library can't serve; null follows the tenant's setting.</summary>
    public bool? GenerateStills { get; init; }
    /// <summary>A music bed under the narration: null or "none" for none, "auto" for any track, else a mood tag.</summary>
    public string? Music { get; init; }
    /// <summary>Further formats to render from the same timeline, besides the main one.</summary>
    public List<FormatRequest>? Formats { get; init; }
    /// <summary>"crop" (fill the frame, the default) or "letterbox".</summary>
    public string? Fit { get; init; }
    /// <summary>A script the caller wrote, narrated as given instead of a summary of text or url.</summary>
    public IReadOnlyList<CallerSentence>? Script { get; init; }
    /// <summary>Whether the subtitle cues are drawn into the picture (the default); false leaves them to the sidecar files for a player to show.</summary>
    public bool BurnSubtitles { get; init; } = true;
    /// <summary>The voice asked for (a <c>GET /voices</c> id); null takes the tenant's default, else the deployment's.</summary>
    public string? Voice { get; init; }
    /// <summary>A factor on the configured narration pace (0.5–2); null is 1.</summary>
    public double? SpeakingRate { get; init; }
}

public enum AssetStatus { Ingesting, Ready, Failed }

/// <summary>A file in the newsroom's media library: a clip or a still.</summary>
public sealed class Asset
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public AssetKind Kind { get; set; }
    public AssetStatus Status { get; set; }
    /// <summary>The caller's Idempotency-Key and a hash of the upload it came with.</summary>
    public string? IdempotencyKey { get; set; }
    public string? RequestHash { get; set; }
    public required string Title { get; set; }
    public string? Description { get; set; }
    public List<string> Tags { get; set; } = [];
    public required string FileName { get; set; }
    public required string StorageKey { get; set; }
    public required string Sha256 { get; set; }
    public long SizeBytes { get; set; }
    /// <summary>The picture's size as seen, upright (the stored picture turned by <see cref="Orientation"/>).</summary>
    public int Width { get; set; }
    public int Height { get; set; }
    /// <summary>
    /// How the stored picture is turned to be seen upright (EXIF codes 1–8, a video's display matrix read as one; see
    /// <c>Media/PictureOrientation</c>); null on assets stored before it was recorded, read as ffmpeg turns them.
    /// </summary>
    public int? Orientation { get; set; }
    public double DurationSeconds { get; set; }
    public double FrameRate { get; set; }
    public string? Error { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    /// <summary>The terms the asset is found by in full-text search: title, description and tags, tokenised
    /// (<c>Library/TextTerms</c>: Chinese cut into words by jieba), lower-cased, space-separated.</summary>
    public string SearchTerms { get; set; } = "";
    /// <summary>The version of the tokeniser that made <see cref="SearchTerms"/>; older rows are made again at start-up (0: before versions).</summary>
    public int SearchTermsVersion { get; set; }
    /// <summary>Generated by PostgreSQL from <see cref="SearchTerms"/> ('simple' configuration, GIN index).</summary>
    public NpgsqlTypes.NpgsqlTsVector? SearchVector { get; set; }
    /// <summary>Under what terms the newsroom may use the asset (e.g. "own", "cc-by-4.0", "agency").</summary>
    public string? Licence { get; set; }
    /// <summary>The line shown in the credits of every video that uses the asset.</summary>
    public string? CreditLine { get; set; }
    /// <summary>After this instant the asset must not be picked for any video.</summary>
    public DateTimeOffset? ExpiresAt { get; set; }
    /// <summary>How long its (last) ingest took, in seconds, once ready: what an upload's Retry-After reckons ingest speed by.</summary>
    public double? IngestSeconds { get; set; }
    public List<Shot> Shots { get; set; } = [];
}

/// <summary>A continuous stretch of an asset that can be cut into a video. A still is one shot.</summary>
public sealed class Shot
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid AssetId { get; set; }
    public Asset? Asset { get; set; }
    public double StartSeconds { get; set; }
    public double EndSeconds { get; set; }
    /// <summary>A 320 px wide JPEG of the shot's best keyframe, for the dashboard and search results.</summary>
    public string? ThumbnailKey { get; set; }
    public List<Keyframe> Keyframes { get; set; } = [];
}

/// <summary>A frame of a shot with its CLIP image embedding (L2-normalised).</summary>
public sealed class Keyframe
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid ShotId { get; set; }
    public Shot? Shot { get; set; }
    public double TimeSeconds { get; set; }
    public required Vector Embedding { get; set; }
    /// <summary>Variance of the Laplacian of the luma: low for blurred or flat frames.</summary>
    public double Sharpness { get; set; }
    /// <summary>Mean luma, 0 (black) to 1 (white).</summary>
    public double Brightness { get; set; }
    /// <summary>Standard deviation of the luma, 0 to 1: near 0 for blank frames.</summary>
    public double Contrast { get; set; }
    /// <summary>False for black, blank or blurred frames; search never returns them.</summary>
    public bool Usable { get; set; }
}

/// <summary>
/// One attempt to deliver a webhook event; all attempts of one event share a webhook id. An event is keyed by
/// video, run and event type: each run's outcome is its own event.
/// </summary>
public sealed class WebhookDelivery
{
    public Guid Id { get; set; }
    public Guid TenantId { get; set; }
    public Guid VideoId { get; set; }
    public required string WebhookId { get; set; }
    public required string EventType { get; set; }
    /// <summary>The run whose outcome the event tells (<see cref="Video.Attempt"/> when it ended); null on rows made before runs were recorded.</summary>
    public int? Run { get; set; }
    public required string Url { get; set; }
    public int Attempt { get; set; }
    public int? StatusCode { get; set; }
    public string? Error { get; set; }
    public bool Succeeded { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}
