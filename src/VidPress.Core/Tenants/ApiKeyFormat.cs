using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace VidPress.Core.Tenants;

/// <summary>A key as handed to its owner once, with what is stored of it.</summary>
public sealed record NewApiKey(string Key, string Prefix, string Hash);

/// <summary>
/// API keys look like <c>vp_&lt;prefix&gt;_&lt;secret&gt;</c>: an 8-hex-digit prefix that finds the row and a 256-bit
/// random secret. The service keeps only the SHA-256 of the whole key; a slow hash would add nothing for
/// 256 bits of entropy.
/// </summary>
public static class ApiKeyFormat
{
    public const string HeaderName = "X-Api-Key";
    private const string Scheme = "vp_";
    private const int PrefixLength = 8;
    private const int MaxKeyLength = 200;

    public static NewApiKey Generate()
    {
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(PrefixLength / 2));
        var secret = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
        var key = $"{Scheme}{prefix}_{secret}";
        return new NewApiKey(key, prefix, Hash(key));
    }

    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    /// <summary>The lookup prefix of a well-formed key; false for anything else, so junk never reaches the database.</summary>
    public static bool TryGetPrefix(string? key, out string prefix)
    {
        prefix = "";
        if (key is null || key.Length is < 20 or > MaxKeyLength || !key.StartsWith(Scheme, StringComparison.Ordinal) || key[Scheme.Length + PrefixLength] != '_')
            return false;
        var candidate = key.Substring(Scheme.Length, PrefixLength);
        if (!candidate.All(char.IsAsciiHexDigitLower)) return false;
        prefix = candidate;
        return true;
    }

    /// <summary>Constant-time comparison of the key's hash with a stored one, so timing tells nothing about how much matched.</summary>
    public static bool Matches(string key, string storedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(key)), Encoding.ASCII.GetBytes(storedHash));
}
