using System.Globalization;
using VidPress.Core.Media;

namespace VidPress.Core.Delivery;

/// <summary>
/// The public API's addresses that responses and webhooks link to: the only code that knows these paths. Paths are
/// relative to the service ("/videos/{id}"); a webhook, read outside any request, makes them absolute with
/// <see cref="Absolute"/>. The API's route templates name the same paths for routing.
/// </summary>
public static class PublicUrls
{
    public static string Video(Guid videoId) => $"/videos/{videoId}";
    public static string VideoFile(Guid videoId) => $"{Video(videoId)}/file";
    /// <summary>One of a video's further formats (named as <see cref="StorageKeys.FormatName"/> names it).</summary>
    public static string VideoFile(Guid videoId, VideoFormat format) => $"{VideoFile(videoId)}?format={StorageKeys.FormatName(format)}";
    public static string VideoTimeline(Guid videoId) => $"{Video(videoId)}/timeline";
    public static string VideoPoster(Guid videoId) => $"{Video(videoId)}/poster";
    public static string VideoScript(Guid videoId) => $"{Video(videoId)}/script";
    /// <summary>A signed download link (see <see cref="DownloadLinks"/>): works without an API key until <paramref name="expires"/>.</summary>
    public static string VideoDownload(Guid videoId, long expires, string signature) =>
        $"{Video(videoId)}/download?{Signed(expires, signature)}";
    /// <summary>A signed download link to one format's MP4 (named as <see cref="StorageKeys.FormatName"/> names it); the signature covers the format.</summary>
    public static string VideoDownload(Guid videoId, string format, long expires, string signature) =>
        $"{Video(videoId)}/download?format={Uri.EscapeDataString(format)}&{Signed(expires, signature)}";
    /// <summary>The subtitles as a sidecar file (SRT or WebVTT), with the API key.</summary>
    public static string VideoSubtitles(Guid videoId, SubtitleFormat format) => $"{Video(videoId)}/subtitles?format={SidecarSubtitles.Name(format)}";
    /// <summary>A signed link to the subtitles file, for a player's &lt;track&gt;: no API key; the signature covers the format.</summary>
    public static string VideoSubtitlesDownload(Guid videoId, SubtitleFormat format, long expires, string signature) =>
        $"{Video(videoId)}/subtitles/download?format={SidecarSubtitles.Name(format)}&{Signed(expires, signature)}";

    public static string Asset(Guid assetId) => $"/library/assets/{assetId}";
    public static string MusicTrack(Guid trackId) => $"/library/music/{trackId}";
    public static string ShotThumbnail(Guid shotId) => $"/library/shots/{shotId}/thumbnail";

    private static string Signed(long expires, string signature) => $"expires={expires.ToString(CultureInfo.InvariantCulture)}&sig={signature}";

    /// <summary><paramref name="path"/> under the service's public base URL (e.g. https://vidpress.example.org).</summary>
    public static string Absolute(string publicBaseUrl, string path) => publicBaseUrl.TrimEnd('/') + path;
}
