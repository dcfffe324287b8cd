namespace VidPress.Api.Security;

/// <summary>Whether requests need an API key; bound from the "Auth" section.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>False lets requests without a key act for the default tenant (single-newsroom installs, never the internet).</summary>
    public bool Required { get; set; } = true;
}
