namespace VidPress.Core.Delivery;

/// <summary>Signed download links; bound from the "Downloads" section.</summary>
public sealed class DownloadOptions : System.ComponentModel.DataAnnotations.IValidatableObject
{
    public const string SectionName = "Downloads";

    /// <summary>Server key the download links are signed with. The API and every worker need the same one.</summary>
    public string? SigningKey { get; set; }
    /// <summary>How long a link handed out in a webhook or a video response keeps working.</summary>
    [Duration("00:01:00", "365.00:00:00")]
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(24);

    public const int MinimumKeyLength = 32;

    // Webhook bodies carry signed download links and the API checks them: without the key neither works.
    public IEnumerable<System.ComponentModel.DataAnnotations.ValidationResult> Validate(System.ComponentModel.DataAnnotations.ValidationContext validationContext)
    {
        if (SigningKey is not { Length: >= MinimumKeyLength })
            yield return new($"must be set to a secret of at least {MinimumKeyLength} characters.", [nameof(SigningKey)]);
    }
}
