using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using VidPress.Testing;

namespace VidPress.BrowserTests;

public sealed class DashboardTests(DashboardFixture service) : IClassFixture<DashboardFixture>
{
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(6);

    // Long enough that rendering takes many seconds here, so the page sees progress move while it runs.
    private static string LongArticle()
    {
        string[] shapes = ["red circle", "blue square", "green triangle"];
        var text = new StringBuilder();
        for (var i = 0; i < 30; i++)
            text.Append($"In the {i + 1}th report of the day, observers said a {shapes[i % 3]} was seen over the harbour while the council discussed the new bus routes. ");
        return text.ToString();
    }

    [Fact]
    public async Task Dashboard_shows_a_running_job_progressing_and_plays_the_finished_video()
    {
        var page = await service.OpenDashboardAsync();
        var id = await PostVideoAsync(new { text = LongArticle(), title = "Harbour shapes (browser test)", targetDurationSeconds = 90, resolution = "720p" });
        var row = page.Locator($"#job-table tbody tr[data-id='{id}']");
        var bar = row.Locator("[role=progressbar]");

        // Read what the page shows, as often as it could change, until the job leaves "running".
        var seen = new List<double>();
        var deadline = DateTime.UtcNow + JobTimeout;
        var screenshotTaken = false;
        string status;
        while (true)
        {
            status = await row.Locator("td.status").TextContentAsync(new LocatorTextContentOptions { Timeout = 60_000 }) ?? "";
            if (status == "running" && double.TryParse(await bar.GetAttributeAsync("aria-valuenow"), System.Globalization.CultureInfo.InvariantCulture, out var progress))
            {
                if (seen.Count == 0 || seen[^1] != progress) seen.Add(progress);
                if (!screenshotTaken && progress > 40)
                {
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(service.ScreenshotFolder, "jobs-running.png") });
                    screenshotTaken = true;
                }
            }
            if (status is "succeeded" or "failed") break;
            Assert.True(DateTime.UtcNow < deadline, $"job still {status} after {JobTimeout}; progress seen: {string.Join(", ", seen)}");
            await Task.Delay(100);
        }
        Assert.Equal("succeeded", status);
        Assert.True(seen.Count >= 3, $"the bar moved {seen.Count - 1} times while running: {string.Join(", ", seen)}");
        Assert.True(seen.SequenceEqual(seen.Order()), $"progress went backwards: {string.Join(", ", seen)}");
        Assert.Equal("100", await bar.GetAttributeAsync("aria-valuenow"));

        var apiDuration = (await service.Client.GetVideoAsync(id)).DurationSeconds!.Value;

        await row.ClickAsync();
        var player = page.Locator("#player");
        await player.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = 30_000 });
        await page.WaitForFunctionAsync("() => document.querySelector('#player').readyState >= 2", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var duration = await player.EvaluateAsync<double>("v => v.duration");
        Assert.InRange(duration, apiDuration - 0.5, apiDuration + 0.5);

        await player.EvaluateAsync("v => { v.muted = true; return v.play(); }");
        await page.WaitForFunctionAsync("() => document.querySelector('#player').currentTime > 1.0", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        var first = await player.EvaluateAsync<double>("v => v.currentTime");
        await page.WaitForTimeoutAsync(700);
        var later = await player.EvaluateAsync<double>("v => v.currentTime");
        Assert.True(later > first, $"currentTime stayed at {first}");
        Assert.False(await player.EvaluateAsync<bool>("v => v.paused || !!v.error"));

        Assert.True(await page.Locator("#detail-timeline li").CountAsync() > 0, "the timeline is listed");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(service.ScreenshotFolder, "video-playing.png"), FullPage = true });
    }

    [Fact]
    public async Task Library_tab_finds_the_shape_the_search_names()
    {
        var page = await service.OpenDashboardAsync();
        await page.Locator(".tab[data-tab=library]").ClickAsync();
        // Before any search the tab lists the library, every ready asset shown by its first shot's thumbnail.
        await page.WaitForFunctionAsync("""
            () => {
              const ready = [...document.querySelectorAll('#library-grid .card')].filter(c => c.textContent.includes('ready'));
              return ready.length > 0 && ready.every(c => { const i = c.querySelector('img'); return i && i.complete && i.naturalWidth > 0; });
            }
            """, null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(service.ScreenshotFolder, "library.png") });
        await page.Locator("#search").FillAsync("a blue square");
        await page.Locator("#search-form button").ClickAsync();
        // The tab first lists the library; search results are the cards that carry a score.
        var first = page.Locator("#library-grid .card", new PageLocatorOptions { HasText = "score" }).First;
        await first.WaitForAsync(new LocatorWaitForOptions { Timeout = 30_000 });
        Assert.StartsWith("blue square", await first.Locator("div").TextContentAsync());
        await page.WaitForFunctionAsync("() => [...document.querySelectorAll('#library-grid img')].every(i => i.complete && i.naturalWidth > 0)", null, new PageWaitForFunctionOptions { Timeout = 30_000 });
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(service.ScreenshotFolder, "library-search.png") });
    }

    private Task<Guid> PostVideoAsync(object request) => service.Client.PostVideoAsync(request);
}
