using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VidPress.Core;

namespace VidPress.UnitTests;

/// <summary>Options as the service's own registration binds and validates them from the given settings.</summary>
public static class PipelineOptions
{
    /// <summary>Settings every host needs; a test overrides or removes (null) what it is about.</summary>
    public static readonly IReadOnlyDictionary<string, string?> Required = new Dictionary<string, string?>
    {
        ["Downloads:SigningKey"] = "unit-tests-download-signing-key-0123456789",
        ["Webhooks:Secret"] = "whsec_" + Convert.ToBase64String(new byte[32]),
    };

    public static T Resolve<T>(IDictionary<string, string?> settings) where T : class
    {
        var merged = Required.ToDictionary();
        foreach (var (key, value) in settings) merged[key] = value;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(merged.Where(p => p.Value is not null)).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddLogging();
        services.AddVidPressPipeline(configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }
}
