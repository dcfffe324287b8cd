using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Delivery;

/// <summary>
/// The signed links of one video, all expiring together: the main MP4, each rendered format's MP4 by its name
/// ("9x16-1080p"), and the subtitles as SRT and WebVTT (null while the video has no timeline).
/// </summary>
public sealed record SignedVideoLinks(string Download, IReadOnlyDictionary<string, string> Downloads, SubtitleLinks? Subtitles);

/// <summary>Where a video's subtitles are, one link per sidecar format.</summary>
public sealed record SubtitleLinks(string Srt, string Vtt)
{
    public SubtitleLinks Select(Func<string, string> map) => new(map(Srt), map(Vtt));
}

/// <summary>
/// Signed links to a video's files that work without an API key until they expire: a CMS can hand the link
/// from the webhook to a transcoder or a player without sharing its key. The signature is
/// HMAC-SHA256(key, "videoId.expires") for the main MP4 and HMAC-SHA256(key, "videoId.expires.what") for the others,
/// "what" being "file:9x16-1080p" or "subtitles:vtt": neither the id, the expiry nor the file can be changed, so a
/// link to one format or file opens no other.
/// </summary>
public sealed class DownloadLinks(IOptions<DownloadOptions> options, TimeProvider clock)
{
    /// <summary>Longest format name a link is checked for; every real one is far shorter ("16x9-1080p").</summary>
    private const int MaxFormatCharacters = 50;

    public string PathFor(Guid videoId) => PathFor(videoId, ExpiresAt());

    public string PathFor(Guid videoId, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        return PublicUrls.VideoDownload(videoId, expires, Sign(videoId, expires, null));
    }

    /// <summary>A link to one rendered format's MP4.</summary>
    public string PathFor(Guid videoId, string format, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        return PublicUrls.VideoDownload(videoId, format, expires, Sign(videoId, expires, FileScope(format)));
    }

    /// <summary>A link to the subtitles as <paramref name="format"/>.</summary>
    public string SubtitlesPathFor(Guid videoId, SubtitleFormat format, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        return PublicUrls.VideoSubtitlesDownload(videoId, format, expires, Sign(videoId, expires, SubtitlesScope(format)));
    }

    /// <summary>Every signed link of a video with these formats, expiring <see cref="DownloadOptions.LinkLifetime"/> from now.</summary>
    public SignedVideoLinks For(Guid videoId, IEnumerable<string> formats, bool subtitles)
    {
        var at = ExpiresAt();
        return new SignedVideoLinks(PathFor(videoId, at), formats.Distinct().ToDictionary(f => f, f => PathFor(videoId, f, at)),
            subtitles ? new SubtitleLinks(SubtitlesPathFor(videoId, SubtitleFormat.Srt, at), SubtitlesPathFor(videoId, SubtitleFormat.Vtt, at)) : null);
    }

    /// <summary>Whether a link to the main MP4 (<paramref name="format"/> null) or to that format's is genuine and unexpired.</summary>
    public bool IsValid(Guid videoId, long expires, string? signature, string? format = null) =>
        format is not { Length: > MaxFormatCharacters } && Check(videoId, expires, signature, format is null ? null : FileScope(format));

    /// <summary>Whether a link to the subtitles as <paramref name="format"/> is genuine and unexpired.</summary>
    public bool IsValidSubtitles(Guid videoId, SubtitleFormat format, long expires, string? signature) =>
        Check(videoId, expires, signature, SubtitlesScope(format));

    private DateTimeOffset ExpiresAt() => clock.GetUtcNow() + options.Value.LinkLifetime;

    private static string FileScope(string format) => "file:" + format;

    private static string SubtitlesScope(SubtitleFormat format) => "subtitles:" + SidecarSubtitles.Name(format);

    private string Sign(Guid videoId, long expires, string? scope) => Base64Url.EncodeToString(Mac(videoId, expires, scope));

    private bool Check(Guid videoId, long expires, string? signature, string? scope)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 100 || expires <= clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        var given = new byte[Base64Url.GetMaxDecodedLength(signature.Length)];
        if (Base64Url.DecodeFromChars(signature, given, out _, out var written) != System.Buffers.OperationStatus.Done) return false;
        return CryptographicOperations.FixedTimeEquals(Mac(videoId, expires, scope), given.AsSpan(0, written));
    }

    private byte[] Mac(Guid videoId, long expires, string? scope)
    {
        var key = options.Value.SigningKey;
        if (key is null || key.Length < DownloadOptions.MinimumKeyLength)
            throw new InvalidOperationException($"Downloads:SigningKey must be set to at least {DownloadOptions.MinimumKeyLength} characters.");
        var message = string.Create(CultureInfo.InvariantCulture, $"{videoId:D}.{expires}") + (scope is null ? "" : "." + scope);
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(message));
    }
}
