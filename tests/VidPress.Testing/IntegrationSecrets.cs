namespace VidPress.Testing;

/// <summary>Secrets every host of the test deployment shares, as the API and the workers of one deployment do.</summary>
public static class IntegrationSecrets
{
    /// <summary>The service-wide webhook secret: "whsec_" and base64 of 32 bytes.</summary>
    public static readonly string Webhook = "whsec_" + Convert.ToBase64String("integration-tests-webhook-key-32"u8.ToArray());
}
