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
    string? Fit = null,
    string? Reference = null,
    IReadOnlyDictionary<string, string>? Metadata = null,
    bool? BurnSubtitles = null,
    string? Voice = null,
    double? SpeakingRate = null,
    string? Priority = null);

public sealed record DeliveryResponse(string WebhookId, string EventType, string Url, int Attempt, int? StatusCode, bool Succeeded, string? Error, DateTimeOffset CreatedAt);

/// <summary>One sentence of a caller's own script: narrated as written, with the keywords and asset they chose.</summary>
public sealed record ScriptSentenceRequest(string? Text, IReadOnlyList<string>? Keywords = null, Guid? AssetId = null);

/// <param name="Download">A signed link to the MP4 that needs no API key (for players and hand-offs); it expires.</param>
/// <param name="Downloads">A signed link to each rendered format's MP4, by format name ("16x9-720p", "9x16-1080p"); they expire.</param>
/// <param name="Subtitles">The subtitles as SRT and WebVTT files (API key), once the timeline is built.</param>
/// <param name="SubtitlesDownload">The subtitles as SRT and WebVTT through signed links (no API key: a player's &lt;track&gt;); they expire.</param>
public sealed record VideoLinks(string Self, string? File, string? Timeline, string? Poster, string? Script = null, string? Download = null,
    IReadOnlyDictionary<string, string>? Downloads = null, SubtitleLinks? Subtitles = null, SubtitleLinks? SubtitlesDownload = null);

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
    IReadOnlyList<OutputInfo> Outputs,
    string? Reference,
    IReadOnlyDictionary<string, string>? Metadata,
    bool BurnSubtitles,
    double SpeakingRate,
    VideoPriority Priority,
    DateTimeOffset? StartedAt)
{
    public static VideoResponse From(Video v) => new(
        v.Id, v.Status, v.Stage, v.Progress, v.Title ?? v.Request.Title, v.Language, v.Request.AspectRatio, v.Request.Resolution,
        v.DurationSeconds, v.Narration?.Voice, v.RenderSeconds, v.Error, v.Attempt, v.CreatedAt, v.UpdatedAt, v.FinishedAt,
        new VideoLinks(PublicUrls.Video(v.Id),
            v.OutputKey is null ? null : PublicUrls.VideoFile(v.Id),
            v.Timeline is null ? null : PublicUrls.VideoTimeline(v.Id),
            v.PosterKey is null ? null : PublicUrls.VideoPoster(v.Id),
            v.Script is null ? null : PublicUrls.VideoScript(v.Id),
            Subtitles: v.Timeline is null ? null
                : new SubtitleLinks(PublicUrls.VideoSubtitles(v.Id, SubtitleFormat.Srt), PublicUrls.VideoSubtitles(v.Id, SubtitleFormat.Vtt))),
        v.Timeline?.Clips.Select((c, i) => (c, i)).Where(x => x.c.Generated)
            .Select(x => new GeneratedStillInfo(x.i, x.c.SentenceIndex, x.c.AssetId, x.c.CardText, x.c.Start, x.c.End)).ToList() ?? [],
        v.Outputs.Select(o => VideoFormat.Create(o.AspectRatio, o.Resolution)).Select(f => new OutputInfo(StorageKeys.FormatName(f), f.AspectRatio, f.Resolution, f.Width, f.Height,
            PublicUrls.VideoFile(v.Id, f))).ToList(),
        v.Reference, v.Metadata, v.Request.BurnSubtitles, v.Narration?.SpeakingRate ?? v.Request.SpeakingRate ?? 1, v.Priority, v.StartedAt);

    /// <summary>The signed links (no API key needed) of a succeeded video: the MP4 of every format and the subtitles.</summary>
    public VideoResponse WithDownload(DownloadLinks links)
    {
        if (Status != VideoStatus.Succeeded || Links.File is null) return this;
        var signed = links.For(Id, Outputs.Select(o => o.Format), subtitles: Links.Subtitles is not null);
        return this with
        {
            Links = Links with { Download = signed.Download, Downloads = signed.Downloads, SubtitlesDownload = signed.Subtitles },
            Outputs = Outputs.Select(o => o with { Download = signed.Downloads[o.Format] }).ToList(),
        };
    }
}

/// <summary>One rendered format of the video and where to get it.</summary>
/// <param name="Format">Its name, as <c>?format=</c> takes it ("9x16-1080p").</param>
/// <param name="File">The MP4 with the API key.</param>
/// <param name="Download">The MP4 through a signed link that needs no API key (succeeded videos); it expires.</param>
public sealed record OutputInfo(string Format, string AspectRatio, string Resolution, int Width, int Height, string File, string? Download = null);

/// <summary>An AI-generated still used in the video, listed so editors and viewers can be told.</summary>
public sealed record GeneratedStillInfo(int ClipIndex, int SentenceIndex, Guid? AssetId, string? Prompt, double Start, double End);
