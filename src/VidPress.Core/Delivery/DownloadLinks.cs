using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace VidPress.Core.Delivery;

/// <summary>
/// Signed links to a video's MP4 that work without an API key until they expire: a CMS can hand the link
/// from the webhook to a transcoder or a player without sharing its key. The signature is
/// HMAC-SHA256(key, "videoId.expires"), so neither the id nor the expiry can be changed.
/// </summary>
public sealed class DownloadLinks(IOptions<DownloadOptions> options, TimeProvider clock)
{
    public string PathFor(Guid videoId) => PathFor(videoId, clock.GetUtcNow() + options.Value.LinkLifetime);

    public string PathFor(Guid videoId, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds();
        return PublicUrls.VideoDownload(videoId, expires, Base64Url.EncodeToString(Mac(videoId, expires)));
    }

    public bool IsValid(Guid videoId, long expires, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || signature.Length > 100 || expires <= clock.GetUtcNow().ToUnixTimeSeconds()) return false;
        var given = new byte[Base64Url.GetMaxDecodedLength(signature.Length)];
        if (Base64Url.DecodeFromChars(signature, given, out _, out var written) != System.Buffers.OperationStatus.Done) return false;
        return CryptographicOperations.FixedTimeEquals(Mac(videoId, expires), given.AsSpan(0, written));
    }

    private byte[] Mac(Guid videoId, long expires)
    {
        var key = options.Value.SigningKey;
        if (key is null || key.Length < DownloadOptions.MinimumKeyLength)
            throw new InvalidOperationException($"Downloads:SigningKey must be set to at least {DownloadOptions.MinimumKeyLength} characters.");
        return HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{videoId:D}.{expires}")));
    }
}
