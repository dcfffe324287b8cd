using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using VidPress.Testing;

namespace VidPress.BrowserTests;

/// <summary>
/// The service on Kestrel at a real loopback URL, a small shape library, and Debian's Chromium driven by
/// Playwright (its own browser downloads cannot work here and are never used).
/// </summary>
public sealed class DashboardFixture : ServiceFixture
{
    public const string Chromium = "/usr/bin/chromium";
    public static readonly string[] ChromiumArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;
    public string BaseUrl { get; private set; } = "";
    /// <summary>Screenshots land beside the test assembly, where CI keeps test output.</summary>
    public string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    protected override bool ServeOnKestrel => true;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        BaseUrl = Factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        Directory.CreateDirectory(ScreenshotFolder);
        foreach (var picture in new[] { "red-circle", "blue-square", "green-triangle" })
        {
            var clip = await VidPress.Testing.Media.ShapeClipAsync(WorkFolder, picture);
            await Client.AddAssetAsync(clip, picture + ".mp4", "video/mp4", ("title", picture.Replace('-', ' ')), ("tags", "shape,test"));
        }

        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            // A test plays the video without a click on the player itself.
            Args = [.. ChromiumArgs, "--autoplay-policy=no-user-gesture-required"],
        });
    }

    /// <summary>A page on the dashboard, with the fixture's API key (if the service has one) entered the way an operator would.</summary>
    public async Task<IPage> OpenDashboardAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseUrl, ViewportSize = new ViewportSize { Width = 1280, Height = 1000 } });
        if (Client.DefaultRequestHeaders.TryGetValues("X-Api-Key", out var keys) && keys.FirstOrDefault() is { } key)
            await context.AddInitScriptAsync($"localStorage.setItem('vidpress.apiKey', {JsonSerializer.Serialize(key)});");
        var page = await context.NewPageAsync();
        await page.GotoAsync("/dashboard/");
        return page;
    }

    public override async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        await base.DisposeAsync();
    }
}
