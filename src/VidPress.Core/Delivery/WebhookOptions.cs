namespace VidPress.Core.Delivery;

/// <summary>How outcomes are told to callers (Standard Webhooks); bound from the "Webhooks" section.</summary>
public sealed class WebhookOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Webhooks";

    /// <summary>
    /// The service-wide signing secret in Standard Webhooks form ("whsec_" + base64 of 24 to 64 random bytes), for
    /// tenants without their own. Required, with no default: a default would be a key anyone can read here.
    /// </summary>
    public string? Secret { get; set; }

    /// <summary>Whether <paramref name="secret"/> is "whsec_" (optional) and base64 of 24 to 64 bytes, as Standard Webhooks asks.</summary>
    public static bool IsValidSecret(string? secret)
    {
        if (string.IsNullOrWhiteSpace(secret)) return false;
        var encoded = secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret;
        var buffer = new byte[encoded.Length];
        return Convert.TryFromBase64String(encoded, buffer, out var length) && length is >= 24 and <= 64;
    }
    /// <summary>Base address used to build links in webhook bodies (the API's public URL).</summary>
    [HttpUrl]
    public string PublicBaseUrl { get; set; } = "http://127.0.0.1:5080";
    /// <summary>Seconds to wait before each retry of a failed delivery; null or empty means <see cref="WebhookRetry.DefaultDelaysSeconds"/>.</summary>
    /// <remarks>Null rather than a default array: the configuration binder appends to an array it finds filled.</remarks>
    public int[]? RetryDelaysSeconds { get; set; }
    /// <summary>Each delay is scaled by a random factor in [1 - jitter, 1 + jitter].</summary>
    [Between(0, 1)]
    public double RetryJitter { get; set; } = 0.2;

    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (!IsValidSecret(Secret))
            yield return new("must be set to \"whsec_\" + base64 of 24 to 64 random bytes, the same on the API and every worker " +
                "(for example: echo whsec_$(head -c 32 /dev/urandom | base64)).", [nameof(Secret)]);
        if (RetryDelaysSeconds?.FirstOrDefault(d => d is < 0 or > 7 * 24 * 3600) is { } bad and not 0)
            yield return new($"must each be between 0 and {7 * 24 * 3600} seconds (a week); one is {bad}.", [nameof(RetryDelaysSeconds)]);
    }
}
