using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace VidPress.IntegrationTests.Security;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification
/// (https://www.standardwebhooks.com/) and deliberately sharing no code with the service's sender.
/// </summary>
public static class StandardWebhooks
{
    public static bool Verify(string secret, IReadOnlyDictionary<string, string> headers, string body, DateTimeOffset now, TimeSpan tolerance)
    {
        const string secretPrefix = "whsec_";
        if (!secret.StartsWith(secretPrefix, StringComparison.Ordinal)) return false;
        var key = Convert.FromBase64String(secret[secretPrefix.Length..]);
        if (!headers.TryGetValue("webhook-id", out var id) || !headers.TryGetValue("webhook-timestamp", out var timestamp) ||
            !headers.TryGetValue("webhook-signature", out var signatures)) return false;
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() > tolerance) return false;

        using var hmac = new HMACSHA256(key);
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body));
        foreach (var signature in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var comma = signature.IndexOf(',');
            if (comma < 0 || signature[..comma] != "v1") continue;
            byte[] given;
            try { given = Convert.FromBase64String(signature[(comma + 1)..]); }
            catch (FormatException) { continue; }
            if (CryptographicOperations.FixedTimeEquals(expected, given)) return true;
        }
        return false;
    }
}
