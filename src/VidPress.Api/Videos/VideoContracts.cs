using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Media;
using VidPress.Core.Videos;

namespace VidPress.Api.Videos;

// The videos API's request and response bodies: what a client sends and reads (the tests read them as these types).

public sealed record CreateVideoRequest(
    string? Text,
    string? Url,
    string? Title,
    string? Language,
    double? TargetDurationSeconds,
    string? AspectRatio,
    string? Resolution,
    string? CallbackUrl,
    IReadOnlyList<ScriptSentenceRequest>? Script = null,
    bool? GenerateStills = null,
    string? Music = null,
    IReadOnlyList<FormatRequest>? Formats = null,
    string? Fit = null);

public sealed record DeliveryResponse(string WebhookId, string EventType, string Url, int Attempt, int? StatusCode, bool Succeeded, string? Error, DateTimeOffset CreatedAt);

/// <summary>One sentence of a caller's own script: narrated as written, with the keywords and asset they chose.</summary>
public sealed record ScriptSentenceRequest(string? Text, IReadOnlyList<string>? Keywords = null, Guid? AssetId = null);

/// <param name="Download">A signed link to the MP4 that needs no API key (for players and hand-offs); it expires.</param>
public sealed record VideoLinks(string Self, string? File, string? Timeline, string? Poster, string? Script = null, string? Download = null);

public sealed record VideoResponse(
    Guid Id,
    VideoStatus Status,
    VideoStage Stage,
    double Progress,
    string? Title,
    string? Language,
    string AspectRatio,
    string Resolution,
    double? DurationSeconds,
    string? NarrationVoice,
    double? RenderSeconds,
    string? Error,
    int Attempt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? FinishedAt,
    VideoLinks Links,
    IReadOnlyList<GeneratedStillInfo> GeneratedStills,
    IReadOnlyList<OutputInfo> Outputs)
{
    public static VideoResponse From(Video v) => new(
        v.Id, v.Status, v.Stage, v.Progress, v.Title ?? v.Request.Title, v.Language, v.Request.AspectRatio, v.Request.Resolution,
        v.DurationSeconds, v.Narration?.Voice, v.RenderSeconds, v.Error, v.Attempt, v.CreatedAt, v.UpdatedAt, v.FinishedAt,
        new VideoLinks(PublicUrls.Video(v.Id),
            v.OutputKey is null ? null : PublicUrls.VideoFile(v.Id),
            v.Timeline is null ? null : PublicUrls.VideoTimeline(v.Id),
            v.PosterKey is null ? null : PublicUrls.VideoPoster(v.Id),
            v.Script is null ? null : PublicUrls.VideoScript(v.Id)),
        v.Timeline?.Clips.Select((c, i) => (c, i)).Where(x => x.c.Generated)
            .Select(x => new GeneratedStillInfo(x.i, x.c.SentenceIndex, x.c.AssetId, x.c.CardText, x.c.Start, x.c.End)).ToList() ?? [],
        v.Outputs.Select(o => new OutputInfo(o.AspectRatio, o.Resolution, o.Width, o.Height,
            PublicUrls.VideoFile(v.Id, VideoFormat.Create(o.AspectRatio, o.Resolution)))).ToList());

    public VideoResponse WithDownload(DownloadLinks links) =>
        Status == VideoStatus.Succeeded && Links.File is not null ? this with { Links = Links with { Download = links.PathFor(Id) } } : this;
}

/// <summary>One rendered format of the video and where to get it.</summary>
public sealed record OutputInfo(string AspectRatio, string Resolution, int Width, int Height, string File);

/// <summary>An AI-generated still used in the video, listed so editors and viewers can be told.</summary>
public sealed record GeneratedStillInfo(int ClipIndex, int SentenceIndex, Guid? AssetId, string? Prompt, double Start, double End);
