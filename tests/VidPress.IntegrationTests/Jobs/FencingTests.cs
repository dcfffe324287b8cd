using System.Collections.Concurrent;
using System.Net;
using Hangfire;
using Hangfire.Common;
using Hangfire.States;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VidPress.Core.Data;
using VidPress.Core.Delivery;
using VidPress.Core.Jobs;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>Records what the job enqueues instead of handing it to Hangfire, so a test sees every enqueue.</summary>
public sealed class RecordingJobClient : IBackgroundJobClient
{
    private readonly ConcurrentQueue<Job> _created = new();

    public IReadOnlyList<Job> Created => _created.ToList();

    public IReadOnlyList<Job> Webhooks(Guid videoId) =>
        Created.Where(j => j.Type == typeof(WebhookJob) && j.Args[0] is Guid id && id == videoId).ToList();

    public string Create(Job job, IState state)
    {
        _created.Enqueue(job);
        return Guid.NewGuid().ToString("N");
    }

    public bool ChangeState(string jobId, IState state, string expectedState) => true;
}

/// <summary>Hands what a host's jobs enqueue to the recorder of the test running now (a collection's tests run one at a time).</summary>
public sealed class ForwardingJobClient : IBackgroundJobClient
{
    public RecordingJobClient Current { get; set; } = new();

    public string Create(Job job, IState state) => Current.Create(job, state);

    public bool ChangeState(string jobId, IState state, string expectedState) => Current.ChangeState(jobId, state, expectedState);
}

/// <summary>The API's services on a fresh database with no Hangfire workers: the tests call the jobs themselves.</summary>
public sealed class FencingFixture : ServiceFixture
{
    private readonly ConcurrentDictionary<string, (WebApplicationFactory<Program> Host, ForwardingJobClient Jobs)> _hosts = new();

    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:RunWorkersInProcess"] = "false" };

    /// <summary>
    /// The host that renders at <paramref name="preset"/>, its enqueues recorded by <paramref name="jobs"/> from now on.
    /// One host per preset for all the tests (a host's start-up costs seconds); the fixture disposes them.
    /// </summary>
    public WebApplicationFactory<Program> Host(RecordingJobClient jobs, string preset = "ultrafast")
    {
        var (host, forwarding) = _hosts.GetOrAdd(preset, p =>
        {
            var forward = new ForwardingJobClient();
            return (Factory.WithWebHostBuilder(b => b
                .UseSetting("Rendering:Preset", p)
                .ConfigureTestServices(s => s.AddSingleton<IBackgroundJobClient>(forward))), forward);
        });
        forwarding.Current = jobs;
        return host;
    }

    public override async Task DisposeAsync()
    {
        foreach (var (host, _) in _hosts.Values) await host.DisposeAsync();
        await base.DisposeAsync();
    }

    public async Task<Guid> AddVideoAsync(WebApplicationFactory<Program> host, string text, string resolution = "720p",
        VideoStatus status = VideoStatus.Queued, VideoStage stage = VideoStage.Queued, double targetSeconds = 0, string callbackPath = "/hooks/fencing",
        string? url = null)
    {
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VidPressDbContext>();
        var now = DateTimeOffset.UtcNow;
        var video = new Video
        {
            Id = Guid.NewGuid(), TenantId = Tenant.DefaultId, Status = status, Stage = stage,
            Request = new VideoRequest
            {
                Text = url is null ? text : null, Url = url, Language = "en", AspectRatio = "16:9", Resolution = resolution, TargetDurationSeconds = targetSeconds,
                CallbackUrl = Webhooks.BaseUrl + callbackPath,
            },
            CreatedAt = now, UpdatedAt = now, FinishedAt = status == VideoStatus.Succeeded ? now : null,
        };
        db.Videos.Add(video);
        await db.SaveChangesAsync();
        return video.Id;
    }

    /// <summary>
    /// Runs the webhook job for the video.succeeded event of the video's run <paramref name="run"/> (0: a video added
    /// as succeeded, never run), attempt <paramref name="attempt"/>, as a worker would.
    /// </summary>
    public static async Task DeliverSucceededAsync(WebApplicationFactory<Program> host, Guid id, int attempt = 1, int run = 0)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookJob>().DeliverAsync(id, WebhookEvents.VideoSucceeded, attempt, run, CancellationToken.None);
    }

    /// <summary>Runs a webhook job the video job enqueued, with its own arguments, as a worker would.</summary>
    public static async Task RunWebhookJobAsync(WebApplicationFactory<Program> host, Job job)
    {
        Assert.Equal(typeof(WebhookJob), job.Type);
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<WebhookJob>().DeliverAsync(
            (Guid)job.Args[0]!, (string)job.Args[1]!, (int)job.Args[2]!, (int)job.Args[3]!, CancellationToken.None);
    }

    public static async Task RunJobAsync(WebApplicationFactory<Program> host, Guid id)
    {
        await using var scope = host.Services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<VideoJob>().RunAsync(id, CancellationToken.None);
    }
}

[CollectionDefinition(Name)]
public sealed class FencingCollection : ICollectionFixture<FencingFixture>
{
    public const string Name = "job fencing";
}

[Collection(FencingCollection.Name)]
public sealed class FencingTests(FencingFixture service)
{
    private const string ShortArticle = "The harbour reopened on Monday after the storm. Ferries ran on time. The mayor thanked the crews.";

    [Fact]
    public async Task Two_runs_of_one_video_racing_publish_once_and_enqueue_one_webhook()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, ShortArticle);

        await Task.WhenAll(FencingFixture.RunJobAsync(host, id), FencingFixture.RunJobAsync(host, id));

        var row = await JobTests.ReadAsync(service.Database.ConnectionString, id);
        Assert.Equal(("Succeeded", "Done", 2, 100.0), (row.Status, row.Stage, row.Attempt, row.Progress));
        var webhook = Assert.Single(jobs.Webhooks(id));
        Assert.Equal(WebhookEvents.VideoSucceeded, webhook.Args[1]);
        Assert.Single(JobTests.Mp4Files(service.StorageRoot, id));
        Assert.Empty(JobTests.ScratchFolders(service.StorageRoot, id));
    }

    /// <summary>
    /// Storage refusing the finished MP4 on the last attempt: the publish is rolled back, and the video fails
    /// with the reason and a video.failed webhook, instead of staying "running" with no job left to end it.
    /// </summary>
    [Fact]
    public async Task A_publish_that_storage_refuses_on_the_last_attempt_fails_the_video_and_tells_the_webhook()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, ShortArticle);
        // Two runs before this one used their tokens: this run is the last attempt.
        Assert.Equal(1, await service.Database.ExecuteAsync("""UPDATE videos SET "Attempt" = 2 WHERE "Id" = @id""", ("id", id)));
        // A folder stands where the MP4 would be stored, so storing it fails.
        Directory.CreateDirectory(Path.Combine(service.StorageRoot, "tenants", Tenant.DefaultId.ToString("N"), "videos", id.ToString("N"), "video.mp4", "in-the-way"));

        await FencingFixture.RunJobAsync(host, id);

        var row = await JobTests.ReadAsync(service.Database.ConnectionString, id);
        Assert.Equal(("Failed", 3), (row.Status, row.Attempt));
        Assert.Null(row.OutputKey);
        Assert.Contains("render failed", await service.Database.ScalarAsync<string>($"""SELECT "Error" FROM videos WHERE "Id" = '{id}'"""), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(WebhookEvents.VideoFailed, Assert.Single(jobs.Webhooks(id)).Args[1]);
    }

    /// <summary>
    /// A video that failed for good after three runs and is then retried gets three runs again: a transient failure
    /// on the retry's first run is left to Hangfire's retry (the job throws, the video stays running), not final.
    /// </summary>
    [Fact]
    public async Task A_retried_video_gets_its_attempts_afresh()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, ShortArticle, status: VideoStatus.Failed, stage: VideoStage.Done);
        Assert.Equal(1, await service.Database.ExecuteAsync("""UPDATE videos SET "Attempt" = 3, "Error" = 'render failed' WHERE "Id" = @id""", ("id", id)));
        using (var retry = await service.Client.PostAsync($"/videos/{id}/retry", null))
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);

        // Storage refuses the MP4 once (a folder stands where it goes): the fourth run ever, the retry's first.
        var blocker = Path.Combine(service.StorageRoot, "tenants", Tenant.DefaultId.ToString("N"), "videos", id.ToString("N"), "video.mp4");
        Directory.CreateDirectory(Path.Combine(blocker, "in-the-way"));
        await Assert.ThrowsAnyAsync<IOException>(() => FencingFixture.RunJobAsync(host, id));
        var row = await JobTests.ReadAsync(service.Database.ConnectionString, id);
        Assert.Equal(("Running", 4), (row.Status, row.Attempt));

        // Hangfire's retry, storage working again: the video is made.
        Directory.Delete(blocker, recursive: true);
        await FencingFixture.RunJobAsync(host, id);
        row = await JobTests.ReadAsync(service.Database.ConnectionString, id);
        Assert.Equal(("Succeeded", 5), (row.Status, row.Attempt));
        Assert.Equal(WebhookEvents.VideoSucceeded, Assert.Single(jobs.Webhooks(id)).Args[1]);
    }

    [Fact]
    public async Task A_run_whose_token_is_taken_mid_render_kills_its_ffmpeg_and_publishes_nothing()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs, preset: "slow");
        var id = await service.AddVideoAsync(host, JobTests.LongArticle(), resolution: "720p", targetSeconds: 40);
        var db = service.Database.ConnectionString;

        var stale = FencingFixture.RunJobAsync(host, id);
        await JobTests.WaitForAsync(db, id, r => r.Stage == "Render" && JobTests.FfmpegRendering(id).Count > 0 || r.Status is not ("Queued" or "Running"),
            TimeSpan.FromMinutes(4));
        // What a second run does first: take the next token. The first run now holds a stale one.
        await using (var connection = new NpgsqlConnection(db))
        {
            await connection.OpenAsync();
            await using var bump = new NpgsqlCommand("""UPDATE videos SET "Attempt" = "Attempt" + 1 WHERE "Id" = @id""", connection);
            bump.Parameters.AddWithValue("id", id);
            Assert.Equal(1, await bump.ExecuteNonQueryAsync());
        }
        await stale.WaitAsync(TimeSpan.FromSeconds(15));
        Assert.Empty(JobTests.FfmpegRendering(id));

        var afterStale = await JobTests.ReadAsync(db, id);
        Assert.Equal(("Running", 2), (afterStale.Status, afterStale.Attempt));
        Assert.Null(afterStale.OutputKey);
        Assert.Empty(JobTests.Mp4Files(service.StorageRoot, id));
        Assert.Empty(jobs.Webhooks(id));

        var fresh = new RecordingJobClient();
        var fastHost = service.Host(fresh);
        await FencingFixture.RunJobAsync(fastHost, id);
        var done = await JobTests.ReadAsync(db, id);
        Assert.Equal(("Succeeded", "Done", 3), (done.Status, done.Stage, done.Attempt));
        Assert.Single(fresh.Webhooks(id));
        Assert.Single(JobTests.Mp4Files(service.StorageRoot, id));
        Assert.Empty(JobTests.ScratchFolders(service.StorageRoot, id));
    }

    [Fact]
    public async Task A_run_that_died_after_publishing_has_its_webhook_enqueued_once_by_the_next_run()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        // Published (stage Delivery) but the process died before it enqueued the webhook.
        var id = await service.AddVideoAsync(host, ShortArticle, status: VideoStatus.Succeeded, stage: VideoStage.Delivery);

        await FencingFixture.RunJobAsync(host, id);
        await FencingFixture.RunJobAsync(host, id);

        Assert.Equal(WebhookEvents.VideoSucceeded, Assert.Single(jobs.Webhooks(id)).Args[1]);
        var row = await JobTests.ReadAsync(service.Database.ConnectionString, id);
        Assert.Equal(("Succeeded", "Done", 0), (row.Status, row.Stage, row.Attempt));
    }

    [Fact]
    public async Task Webhook_job_enqueued_twice_delivers_the_event_once()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, ShortArticle, status: VideoStatus.Succeeded, stage: VideoStage.Done);

        Task DeliverAsync() => FencingFixture.DeliverSucceededAsync(host, id);
        await Task.WhenAll(DeliverAsync(), DeliverAsync());
        await DeliverAsync();

        var hook = Assert.Single(JobTests.WebhooksFor(service.Webhooks, id));
        Assert.Equal(WebhookSender.WebhookIdFor(id, WebhookEvents.VideoSucceeded, run: 0), hook.Headers["webhook-id"]);
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"""SELECT count(*) FROM webhook_deliveries WHERE "VideoId" = '{id}'"""));
    }

    /// <summary>
    /// A video.succeeded whose first attempt failed, then the video re-rendered (an editor's timeline edit queues it
    /// again): the retry has no true event to send and is dropped, with no further retries; the re-render's own
    /// outcome will send its event.
    /// </summary>
    [Fact]
    public async Task A_webhook_retry_for_a_video_queued_again_is_dropped()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, ShortArticle, status: VideoStatus.Succeeded, stage: VideoStage.Done);
        Task DeliverAsync(int attempt) => FencingFixture.DeliverSucceededAsync(host, id, attempt);
        service.Webhooks.FailNext(1);
        await DeliverAsync(1);
        Assert.Contains(jobs.Webhooks(id), j => j.Args[2] is 2);

        Assert.Equal(1, await service.Database.ExecuteAsync("""UPDATE videos SET "Status" = 'Queued', "Stage" = 'Render' WHERE "Id" = @id""", ("id", id)));
        var sent = JobTests.WebhooksFor(service.Webhooks, id).Count;
        await DeliverAsync(2);

        Assert.Equal(sent, JobTests.WebhooksFor(service.Webhooks, id).Count);
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"""SELECT count(*) FROM webhook_deliveries WHERE "VideoId" = '{id}'"""));
        Assert.DoesNotContain(jobs.Webhooks(id), j => j.Args[2] is 3);
    }

    /// <summary>
    /// A receiver that answers 302: following it would turn the signed POST into a GET without its body, and a 200
    /// to that GET would count as delivered. The attempt fails instead, and nothing but the POST reaches the receiver.
    /// </summary>
    [Fact]
    public async Task A_redirecting_receiver_is_a_failed_attempt_and_the_redirect_is_not_followed()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, ShortArticle, status: VideoStatus.Succeeded, stage: VideoStage.Done, callbackPath: "/moved/hooks");
        await FencingFixture.DeliverSucceededAsync(host, id);

        Assert.DoesNotContain(service.Webhooks.Received, w => w.Path == "GET /landed");
        Assert.Equal("receiver answered 302", await service.Database.ScalarAsync<string>($"""SELECT "Error" FROM webhook_deliveries WHERE "VideoId" = '{id}'"""));
        Assert.False(await service.Database.ScalarAsync<bool>($"""SELECT "Succeeded" FROM webhook_deliveries WHERE "VideoId" = '{id}'"""));
        // The next attempt is scheduled, as for any failed one.
        Assert.Contains(jobs.Webhooks(id), j => j.Args[2] is 2);
    }

    [Fact]
    public async Task Two_jobs_for_one_attempt_to_a_failing_receiver_send_it_once_and_schedule_the_next_attempt()
    {
        var jobs = new RecordingJobClient();
        var host = service.Host(jobs);
        var id = await service.AddVideoAsync(host, ShortArticle, status: VideoStatus.Succeeded, stage: VideoStage.Done);

        Task DeliverAsync(int attempt) => FencingFixture.DeliverSucceededAsync(host, id, attempt);
        service.Webhooks.FailNext(2);
        try
        {
            // The event enqueued twice: one request to the receiver, and every job that ran leaves attempt 2 scheduled.
            await Task.WhenAll(DeliverAsync(1), DeliverAsync(1));
            Assert.Single(JobTests.WebhooksFor(service.Webhooks, id));
            var retries = jobs.Webhooks(id);
            Assert.Equal(2, retries.Count);
            Assert.All(retries, j => Assert.Equal(2, (int)j.Args[2]!));

            // Both scheduled retries run: attempt 2 is sent once, and fails again.
            await Task.WhenAll(DeliverAsync(2), DeliverAsync(2));
            Assert.Equal(2, JobTests.WebhooksFor(service.Webhooks, id).Count);
            Assert.Equal([3, 3], jobs.Webhooks(id).Skip(2).Select(j => (int)j.Args[2]!));

            // Attempt 3 gets through; a late duplicate of it sends nothing and schedules nothing.
            await DeliverAsync(3);
            await DeliverAsync(3);
            Assert.Equal(3, JobTests.WebhooksFor(service.Webhooks, id).Count);
            Assert.Equal(4, jobs.Webhooks(id).Count);
        }
        finally
        {
            service.Webhooks.FailNext(0);
        }
        Assert.Equal("1:f,2:f,3:t", await service.Database.ScalarAsync<string>(
            $"""SELECT string_agg("Attempt" || ':' || "Succeeded"::text::char, ',' ORDER BY "Attempt") FROM webhook_deliveries WHERE "VideoId" = '{id}'"""));
    }
}
