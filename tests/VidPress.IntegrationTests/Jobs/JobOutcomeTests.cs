using System.Net;
using System.Net.Http.Json;
using Hangfire.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VidPress.Api.Infrastructure;
using VidPress.Api.Videos;
using VidPress.Core.Data;
using VidPress.Core.Jobs;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>
/// What Hangfire's dashboard says of a video's job is the video's outcome: a video failed on bad input is a failed job
/// there (with the reason, and not retried), a cancelled one a deleted job, a published one a succeeded job; and jobs
/// are named by the video's title and tenant.
/// </summary>
[Collection(SharedService.Name)]
public sealed class JobOutcomeTests(ServiceFixture shared)
{
    [Fact]
    public async Task A_video_failed_on_bad_input_is_a_failed_job_with_its_reason_and_is_not_retried()
    {
        var newsroom = await shared.NewsroomAsync("outcome-failed");
        using var post = await newsroom.Client.PostAsJsonAsync("/videos", new { text = "!!! ??? ..." });
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        var id = (await post.ReadAsync<VideoResponse>()).Id;
        Assert.Equal(VideoStatus.Failed, (await newsroom.WaitForVideoAsync(id, TimeSpan.FromMinutes(1))).Status);

        var (state, states, reasonData) = await JobStatesAsync(id, "VideoJob");
        Assert.Equal("Failed", state);
        Assert.DoesNotContain("Scheduled", states);
        Assert.Equal(1, states.Count(s => s == "Processing"));
        Assert.Contains("no sentences", reasonData);
    }

    [Fact]
    public async Task A_cancelled_video_is_a_deleted_job_and_a_published_one_a_succeeded_job()
    {
        var newsroom = await shared.NewsroomAsync("outcome-cancelled");
        var id = await newsroom.Client.PostVideoAsync(new { text = "A red circle rose over the city. Later a blue square appeared.", targetDurationSeconds = 10 });
        using (var cancel = await newsroom.Client.PostAsync($"/videos/{id}/cancel", null))
            Assert.True(cancel.IsSuccessStatusCode, $"cancel: {(int)cancel.StatusCode}");
        Assert.Equal(VideoStatus.Cancelled, (await newsroom.WaitForVideoAsync(id, TimeSpan.FromMinutes(2))).Status);
        Assert.Equal("Deleted", (await JobStatesAsync(id, "VideoJob")).State);

        var published = await VidPress.IntegrationTests.Delivery.CmsVideo.OnAsync(shared);
        Assert.Equal("Succeeded", (await JobStatesAsync(published.Id, "VideoJob")).State);
    }

    [Fact]
    public async Task Jobs_are_named_by_the_videos_title_and_tenant()
    {
        var databases = shared.Factory.Services.GetRequiredService<IDbContextFactory<VidPressDbContext>>();
        // A CMS's video, untitled but with its reference.
        var published = await VidPress.IntegrationTests.Delivery.CmsVideo.OnAsync(shared);
        var tenant = await shared.Database.ScalarAsync<string>($"SELECT t.\"Name\" FROM tenants t JOIN videos v ON v.\"TenantId\" = t.\"Id\" WHERE v.\"Id\" = '{published.Id}'");
        Assert.Equal($"Video «{published.Reference}» · tenant {tenant}",
            JobNames.For(databases, Job.FromExpression<VideoJob>(j => j.RunAsync(published.Id, CancellationToken.None))));
        Assert.Equal($"Webhook video.succeeded for video «{published.Reference}» · tenant {tenant}",
            JobNames.For(databases, Job.FromExpression<WebhookJob>(j => j.DeliverAsync(published.Id, "video.succeeded", 1, 1, CancellationToken.None))));

        // A titled one by its title; one with neither by the article's opening words, cut to a dashboard row.
        var newsroom = await shared.NewsroomAsync("outcome-named");
        var titled = await newsroom.Client.PostVideoAsync(new { title = "Flood in the valley", text = "!!! ??? ..." });
        var story = "Heavy rain   flooded the valley overnight.\nResidents were moved to the school hall while crews cleared the road and "
            + "checked the bridge for damage before the morning traffic.";
        var untitled = await newsroom.Client.PostVideoAsync(new { text = "!!! " + story });
        Assert.Equal("Video «Flood in the valley» · tenant outcome-named",
            JobNames.For(databases, Job.FromExpression<VideoJob>(j => j.RunAsync(titled, CancellationToken.None))));
        var name = JobNames.For(databases, Job.FromExpression<VideoJob>(j => j.RunAsync(untitled, CancellationToken.None)));
        Assert.StartsWith("Video «!!! Heavy rain flooded the valley overnight. Residents were moved", name);
        Assert.EndsWith("…» · tenant outcome-named", name);
        Assert.Equal(JobNames.MaxTitle, name["Video «".Length..name.IndexOf('»')].Length);
        using var cancel = await newsroom.Client.PostAsync($"/videos/{untitled}/cancel", null);
        // A job whose video is gone keeps Hangfire's own name.
        Assert.Equal("VideoJob.RunAsync", JobNames.For(databases, Job.FromExpression<VideoJob>(j => j.RunAsync(Guid.NewGuid(), CancellationToken.None))));
    }

    /// <summary>The latest job of that type for the video, once a worker is done with it: its state, its states in order, and the final state's reason and data.</summary>
    private async Task<(string State, List<string> States, string ReasonData)> JobStatesAsync(Guid videoId, string jobType)
    {
        var deadline = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            await using var connection = new NpgsqlConnection(shared.Database.ConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("""
                SELECT j.id, j.statename, coalesce(s.reason, '') || ' ' || coalesce(s.data::text, '')
                FROM hangfire.job j LEFT JOIN hangfire.state s ON s.id = j.stateid
                WHERE j.arguments::text LIKE @id AND j.invocationdata::text LIKE @type ORDER BY j.id DESC LIMIT 1
                """, connection);
            command.Parameters.AddWithValue("id", $"%{videoId}%");
            command.Parameters.AddWithValue("type", $"%{jobType}%");
            long job = 0;
            string? state = null, reason = null;
            await using (var reader = await command.ExecuteReaderAsync())
                if (await reader.ReadAsync()) (job, state, reason) = (reader.GetInt64(0), reader.GetString(1), reader.GetString(2));
            if (state is "Failed" or "Succeeded" or "Deleted")
            {
                await using var history = new NpgsqlCommand("SELECT name FROM hangfire.state WHERE jobid = @job ORDER BY id", connection);
                history.Parameters.AddWithValue("job", job);
                var states = new List<string>();
                await using var rows = await history.ExecuteReaderAsync();
                while (await rows.ReadAsync()) states.Add(rows.GetString(0));
                return (state, states, reason!);
            }
            Assert.True(DateTime.UtcNow < deadline, $"job of video {videoId} still {state ?? "missing"}");
            await Task.Delay(200);
        }
    }
}
