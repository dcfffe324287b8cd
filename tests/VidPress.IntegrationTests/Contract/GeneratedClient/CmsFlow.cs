// Compiled at test time with the client NSwag generates from the running service (GeneratedClientTests): what a CMS
// developer writes against that client. No HTTP by hand; every call and type is the generated client's.
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using VidPress.Generated;

public static class CmsFlow
{
    public static async Task<Dictionary<string, object>> RunAsync(HttpClient http, string clipPath, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        var ct = deadline.Token;
        var api = new VidPressApiClient(http);
        var result = new Dictionary<string, object>();

        AssetResponse asset;
        await using (var clip = File.OpenRead(clipPath))
            asset = await api.UploadAssetAsync(null, new FileParameter(clip, "red-circle.mp4", "video/mp4"), "red circle", null, "shape,test", null, "VidPress test footage", null, ct);
        while (asset.Status == AssetStatus.Ingesting)
        {
            await Task.Delay(250, ct);
            asset = await api.GetAssetAsync(asset.Id, ct);
        }
        result["assetStatus"] = asset.Status.ToString();

        var video = await api.CreateVideoAsync(Guid.NewGuid().ToString(), new CreateVideoRequest
        {
            Text = "A red circle rose over the city at dawn. It stayed there until the evening.",
            Reference = "story-4711",
        }, ct);
        video = await FinishedAsync(api, video.Id, ct);
        result["firstStatus"] = video.Status.ToString();

        var timeline = await api.GetVideoTimelineAsync(video.Id, ct);
        result["revisionBefore"] = timeline.Revision;
        timeline.Subtitles.First().Text = "Edited through the generated client.";
        var accepted = await api.EditVideoTimelineAsync(video.Id, timeline, ct);
        result["revisionAfter"] = accepted.Revision;
        video = await FinishedAsync(api, video.Id, ct);
        result["editedStatus"] = video.Status.ToString();

        using (var file = await api.GetVideoFileAsync(video.Id, null, null, ct))
        using (var bytes = new MemoryStream())
        {
            await file.Stream.CopyToAsync(bytes, ct);
            result["mp4"] = bytes.ToArray();
        }
        // The first bytes only, as a player asks: a 206 with the range.
        using (var head = await api.GetVideoFileAsync(video.Id, null, "bytes=0-7", ct))
        using (var bytes = new MemoryStream())
        {
            await head.Stream.CopyToAsync(bytes, ct);
            result["rangeStatus"] = head.StatusCode;
            result["range"] = bytes.ToArray();
        }
        foreach (var (format, key) in new[] { (SubtitleFormat.Vtt, "vtt"), (SubtitleFormat.Srt, "srt") })
        {
            using var subtitles = await api.GetVideoSubtitlesAsync(video.Id, format, null, null, ct);
            using var reader = new StreamReader(subtitles.Stream);
            result[key] = await reader.ReadToEndAsync(ct);
        }
        return result;
    }

    private static async Task<VideoResponse> FinishedAsync(VidPressApiClient api, Guid id, CancellationToken ct)
    {
        var video = await api.GetVideoAsync(id, ct);
        while (video.Status is VideoStatus.Queued or VideoStatus.Running)
        {
            await Task.Delay(500, ct);
            video = await api.GetVideoAsync(id, ct);
        }
        return video;
    }
}
