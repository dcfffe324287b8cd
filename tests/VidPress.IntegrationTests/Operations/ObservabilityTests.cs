using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Operations;

[Collection(SharedService.Name)]
public sealed class ObservabilityTests(ServiceFixture service)
{
    [Fact]
    public async Task Metrics_endpoint_exposes_stage_durations_render_speed_and_videos_by_state_after_a_job()
    {
        using var post = await service.Client.PostAsJsonAsync("/videos", new { text = "The harbour reopened on Tuesday. Ferries returned within hours.", targetDurationSeconds = 10 });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        var video = await service.WaitForVideoAsync(id, TimeSpan.FromMinutes(3));
        Assert.True(video.Status == VideoStatus.Succeeded, video.ToString());

        // The job's telemetry filter runs just after the job returns; the row may say succeeded a moment before.
        string metrics = "";
        for (var i = 0; i < 40 && !metrics.Contains("vidpress_render_speed_count"); i++)
        {
            await Task.Delay(250);
            metrics = await service.Client.GetStringAsync("/metrics");
        }
        foreach (var stage in new[] { "article", "script", "narration", "retrieval", "timeline", "render" })
            Assert.Contains($"vidpress_stage_duration_seconds_count{{otel_scope_name=\"VidPress\",outcome=\"ok\",stage=\"{stage}\"}}", metrics.Replace(",otel_scope_version=\"\"", ""));
        Assert.Contains("vidpress_render_speed_count", metrics);
        Assert.Matches("vidpress_videos(_ratio)?\\{[^}]*state=\"succeeded\"[^}]*\\} [1-9]", metrics);
        Assert.Contains("vidpress_job_runs_total", metrics);
        Assert.Contains("http_server_request_duration_seconds", metrics);
    }

    [Fact]
    public async Task Health_reports_every_check_as_json()
    {
        using var response = await service.Client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body.ToString());
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        var checks = body.GetProperty("checks");
        foreach (var name in new[] { "postgresql", "ffmpeg", "espeak-ng", "clip-model" })
            Assert.Equal("Healthy", checks.GetProperty(name).GetProperty("status").GetString());
        Assert.StartsWith("ffmpeg version", checks.GetProperty("ffmpeg").GetProperty("description").GetString());
        Assert.Equal(512, checks.GetProperty("clip-model").GetProperty("data").GetProperty("dimensions").GetInt32());
    }

    [Fact]
    public async Task Tool_checks_run_the_tools_once_per_cache_period_not_per_probe()
    {
        async Task<(string Ffmpeg, string Espeak)> CheckedAtAsync()
        {
            using var response = await service.Client.GetAsync("/health");
            var checks = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks");
            return (checks.GetProperty("ffmpeg").GetProperty("data").GetProperty("checkedAt").GetString()!,
                checks.GetProperty("espeak-ng").GetProperty("data").GetProperty("checkedAt").GetString()!);
        }
        var first = await CheckedAtAsync();
        await Task.Delay(50);
        // Within Health:CacheFor (1 min) the same answer comes back: the tools did not run again.
        Assert.Equal(first, await CheckedAtAsync());
        Assert.Equal(first, await CheckedAtAsync());
    }

    [Fact]
    public async Task Liveness_answers_without_checking_dependencies()
    {
        using var response = await service.Client.GetAsync("/health/live");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
        Assert.Empty(body.GetProperty("checks").EnumerateObject());
    }
}

/// <summary>A service whose ffmpeg setting points nowhere; its own host, since a second host beside a running one upsets Hangfire's process-wide state.</summary>
public sealed class MisconfiguredFfmpegFixture : ServiceFixture
{
    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Media:FfmpegPath"] = "/nonexistent/ffmpeg",
        ["Jobs:RunWorkersInProcess"] = "false",
    };
}

public sealed class MisconfiguredHealthTests(MisconfiguredFfmpegFixture service) : IClassFixture<MisconfiguredFfmpegFixture>
{
    [Fact]
    public async Task Health_is_unhealthy_503_when_the_ffmpeg_path_is_wrong()
    {
        using var response = await service.Client.GetAsync("/health");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("Unhealthy", body.GetProperty("status").GetString());
        var ffmpeg = body.GetProperty("checks").GetProperty("ffmpeg");
        Assert.Equal("Unhealthy", ffmpeg.GetProperty("status").GetString());
        Assert.Equal("/nonexistent/ffmpeg", ffmpeg.GetProperty("data").GetProperty("path").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("postgresql").GetProperty("status").GetString());
        // Not ready, but alive: restarting the process would not mend a wrong setting.
        using var live = await service.Client.GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
    }
}
