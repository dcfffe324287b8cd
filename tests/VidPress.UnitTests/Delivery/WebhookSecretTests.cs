using Microsoft.Extensions.Options;
using VidPress.Core.Delivery;

namespace VidPress.UnitTests.Delivery;

/// <summary>The service-wide webhook secret has no default: a host without a proper one does not start.</summary>
public sealed class WebhookSecretTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("whsec_")]
    [InlineData("whsec_c2hvcnQ=")] // "short": 5 bytes
    [InlineData("whsec_not base64!")]
    [InlineData("correct horse battery staple and more words")]
    public void A_missing_short_or_malformed_secret_stops_the_host_with_the_setting_named(string? secret)
    {
        var refused = Assert.Throws<OptionsValidationException>(() =>
            PipelineOptions.Resolve<WebhookOptions>(new Dictionary<string, string?> { ["Webhooks:Secret"] = secret }));
        Assert.Contains("Webhooks:Secret", refused.Message);
    }

    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void Standard_webhooks_secrets_of_24_to_64_bytes_are_taken_with_or_without_the_prefix(int bytes)
    {
        var encoded = Convert.ToBase64String(Enumerable.Range(0, bytes).Select(i => (byte)i).ToArray());
        Assert.True(WebhookOptions.IsValidSecret("whsec_" + encoded));
        Assert.True(WebhookOptions.IsValidSecret(encoded));
        Assert.Equal("whsec_" + encoded, PipelineOptions.Resolve<WebhookOptions>(new Dictionary<string, string?> { ["Webhooks:Secret"] = "whsec_" + encoded }).Secret);
    }

    [Fact]
    public void A_secret_of_65_bytes_is_refused() =>
        Assert.False(WebhookOptions.IsValidSecret("whsec_" + Convert.ToBase64String(new byte[65])));

    [Fact]
    public void The_secret_a_new_tenant_gets_is_valid() =>
        Assert.True(WebhookOptions.IsValidSecret(VidPress.Core.Tenants.TenantAdmin.NewWebhookSecret()));
}
