using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using VidPress.Api.Infrastructure;
using VidPress.Api.Security;

namespace VidPress.IntegrationTests.Operations;

/// <summary>The API's own settings (Limits, Auth, Health) are checked at start-up like the pipeline's; no service is started.</summary>
public sealed class ApiOptionsTests
{
    private static void StartUp(IDictionary<string, string?> settings, string? file = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing" });
        if (file is not null) builder.Configuration.AddJsonFile(file);
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddVidPressSecurity();
        builder.AddVidPressObservability();
        using var provider = builder.Services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();
    }

    [Theory]
    [InlineData("Limits:RequestsPerMinute", "0")]
    [InlineData("Limits:MaxJsonBodyBytes", "10")]
    [InlineData("Health:Timeout", "00:00:00")]
    [InlineData("Health:CacheFor", "-00:00:01")]
    public void A_value_out_of_bounds_stops_the_api_with_its_key_named(string key, string value)
    {
        var refused = Assert.Throws<OptionsValidationException>(() => StartUp(new Dictionary<string, string?> { [key] = value }));
        Assert.Contains(key, refused.Message);
    }

    [Fact]
    public void The_shipped_api_settings_start()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "VidPressService.sln")))
            {
                StartUp(new Dictionary<string, string?>(), Path.Combine(folder.FullName, "src", "VidPress.Api", "appsettings.json"));
                return;
            }
        Assert.Fail("VidPressService.sln not found");
    }
}
