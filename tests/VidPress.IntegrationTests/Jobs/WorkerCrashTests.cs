using System.Diagnostics;
using System.Net;
using System.Text.Json;
using VidPress.Testing;
using Xunit.Abstractions;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>The API only enqueues; the jobs run in worker processes that the tests start and kill.</summary>
public sealed class WorkerProcessFixture : ServiceFixture
{
    protected override IDictionary<string, string?> Settings => new Dictionary<string, string?> { ["Jobs:RunWorkersInProcess"] = "false" };

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        // A Hangfire server inside the test host would take the jobs these tests mean the worker processes to run.
        Assert.Equal(0L, await Database.ScalarAsync<long>("SELECT count(*) FROM hangfire.server"));
    }

    public WorkerProcess StartWorker(string preset, int? lockTimeoutSeconds = null)
    {
        var settings = new Dictionary<string, string> { ["Rendering__Preset"] = preset };
        if (lockTimeoutSeconds is { } seconds) settings["Jobs__DistributedLockTimeoutSeconds"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return WorkerProcess.Start(Database.ConnectionString, StorageRoot, settings);
    }
}

[CollectionDefinition(Name)]
public sealed class WorkerProcessCollection : ICollectionFixture<WorkerProcessFixture>
{
    public const string Name = "jobs in worker processes";
}

[Collection(WorkerProcessCollection.Name)]
public sealed class WorkerCrashTests(WorkerProcessFixture service, ITestOutputHelper output)
{
    private const int LockTimeoutSeconds = 10;

    // Long enough at the slow preset that a kill or cancel lands in the middle of the render (the tests wait for
    // the render's progress, not for a time), short enough that the renders after it take seconds.
    private object LongVideo(string? callbackUrl) => new
    {
        text = JobTests.LongArticle(), title = "Works across the city", language = "en", targetDurationSeconds = 30,
        aspectRatio = "16:9", resolution = "720p", callbackUrl,
    };

    [Fact]
    public async Task Worker_killed_mid_render_leaves_one_mp4_and_one_webhook_once_another_worker_takes_the_job()
    {
        var clock = Stopwatch.StartNew();
        var id = await JobTests.PostVideoAsync(service.Client, LongVideo(service.Webhooks.BaseUrl + "/hooks/crash"));
        var db = service.Database.ConnectionString;

        await using (var first = service.StartWorker(preset: "slow"))
        {
            var midRender = await JobTests.WaitForAsync(db, id, r => r.Stage == "Render" && r.Progress > 40 || r.Status is not ("Queued" or "Running"),
                TimeSpan.FromMinutes(6), () => first.Log + JobTests.DescribeJobs(db));
            Assert.True(midRender.Status == "Running", $"{midRender}\n{first.Log}");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killing worker {first.Id} at {midRender.Progress} % of stage {midRender.Stage}");
            first.Kill();
        }
        var afterKill = await JobTests.ReadAsync(db, id);
        Assert.Equal("Running", afterKill.Status);
        Assert.Equal(1, afterKill.Attempt);
        Assert.Null(afterKill.OutputKey);
        Assert.Empty(await JobTests.FfmpegRenderingAfterAsync(id, TimeSpan.FromSeconds(5)));

        await using var second = service.StartWorker(preset: "ultrafast");
        var done = await JobTests.WaitForAsync(db, id, r => r.Status != "Running" && r.Status != "Queued" && r.Stage == "Done",
            TimeSpan.FromMinutes(6), () => second.Log + JobTests.DescribeJobs(db));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {done}");
        Assert.Equal("Succeeded", done.Status);
        // The second worker's run is the second token: the first run really was killed before it could publish.
        Assert.Equal(2, done.Attempt);

        var mp4 = Assert.Single(JobTests.Mp4Files(service.StorageRoot, id));
        Assert.Equal("video.mp4", Path.GetFileName(mp4));
        Assert.Empty(JobTests.ScratchFolders(service.StorageRoot, id));
        var probe = await Media.ProbeAsync(mp4);
        Assert.Equal(1280, Media.Stream(probe, "video").GetProperty("width").GetInt32());
        Assert.True(Media.Seconds(probe.GetProperty("format"), "duration") > 20);

        await service.Webhooks.WaitForAsync(r => JobTests.WebhooksFor(service.Webhooks, id).Count > 0, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(3));
        var hook = Assert.Single(JobTests.WebhooksFor(service.Webhooks, id));
        Assert.Equal("video.succeeded", JsonDocument.Parse(hook.Body).RootElement.GetProperty("type").GetString());
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"""SELECT count(*) FROM webhook_deliveries WHERE "VideoId" = '{id}'"""));
        Assert.Equal(1L, await service.Database.ScalarAsync<long>($"""SELECT count(*) FROM webhook_deliveries WHERE "VideoId" = '{id}' AND "Succeeded" AND "EventType" = 'video.succeeded'"""));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: done");
    }

    /// <summary>
    /// The storage's own lock timeout is ten minutes; the service sets Jobs:DistributedLockTimeoutSeconds (60 by
    /// default, <see cref="LockTimeoutSeconds"/> here so that the wait is short): the lock holds exactly that long.
    /// </summary>
    [Fact]
    public async Task A_job_lock_left_by_a_worker_killed_inside_a_state_change_holds_the_video_the_lock_timeout_not_ten_minutes()
    {
        // No worker runs yet, so the job waits in the queue.
        var id = await JobTests.PostVideoAsync(service.Client, new
        {
            text = JobTests.LongArticle(sentences: 3), title = "Works across the city", language = "en", targetDurationSeconds = 10,
            aspectRatio = "16:9", resolution = "720p",
        });
        var db = service.Database.ConnectionString;
        var jobId = await service.Database.ScalarAsync<long>($"SELECT id FROM hangfire.job WHERE arguments::text LIKE '%{id}%'");
        // Hangfire.PostgreSql's locks are rows: a worker killed between taking a job's state lock and releasing it
        // (a job finishing or a cancelled run returning, as the cancel test's worker can be) leaves exactly this row.
        var resource = $"hangfire:job:{jobId}:state-lock";
        await service.Database.ScalarAsync<int>($"INSERT INTO hangfire.lock (resource, acquired) VALUES ('{resource}', now()) RETURNING 1");
        var left = Stopwatch.StartNew();

        await using var worker = service.StartWorker(preset: "ultrafast", lockTimeoutSeconds: LockTimeoutSeconds);
        // With the storage's default lock timeout (ten minutes) this wait runs out.
        var done = await JobTests.WaitForAsync(db, id, r => r.Status is not ("Queued" or "Running") && r.Stage == "Done",
            TimeSpan.FromMinutes(4), () => worker.Log + JobTests.DescribeJobs(db));
        output.WriteLine($"{left.Elapsed.TotalSeconds:0.0} s after the lock was left: {done}");
        Assert.Equal("Succeeded", done.Status);
        Assert.Equal(1, done.Attempt);
        // The lock was honoured until it was older than Jobs:DistributedLockTimeoutSeconds, then taken over.
        Assert.True(left.Elapsed >= TimeSpan.FromSeconds(LockTimeoutSeconds), $"finished {left.Elapsed} after the lock was left: the lock was not in effect");
        // Hangfire ends the job after the video is done, taking the same lock once more and releasing it after
        // its commit: once the job has succeeded and that release is through, no lock may be left.
        var jobState = $"SELECT statename || ', locks ' || (SELECT count(*) FROM hangfire.lock WHERE resource = '{resource}') FROM hangfire.job WHERE id = {jobId}";
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await service.Database.ScalarAsync<string>(jobState) != "Succeeded, locks 0" && DateTime.UtcNow < deadline)
            await Task.Delay(200);
        Assert.Equal("Succeeded, locks 0", await service.Database.ScalarAsync<string>(jobState));
        Assert.Single(JobTests.Mp4Files(service.StorageRoot, id));
    }

    [Fact]
    public async Task Cancel_kills_the_render_and_retry_finishes_the_video()
    {
        var clock = Stopwatch.StartNew();
        var id = await JobTests.PostVideoAsync(service.Client, LongVideo(service.Webhooks.BaseUrl + "/hooks/cancel"));
        var db = service.Database.ConnectionString;

        await using (var worker = service.StartWorker(preset: "slow"))
        {
            var rendering = await JobTests.WaitForAsync(db, id, r => r.Stage == "Render" && r.Progress > 37 || r.Status is not ("Queued" or "Running"),
                TimeSpan.FromMinutes(6), () => worker.Log + JobTests.DescribeJobs(db));
            Assert.True(rendering.Status == "Running", $"{rendering}\n{worker.Log}");
            // The probe below must see this render's ffmpeg before the cancel, or its absence afterwards proves nothing.
            Assert.NotEmpty(JobTests.FfmpegRendering(id));

            var asked = Stopwatch.StartNew();
            using (var cancel = await service.Client.PostAsync($"/videos/{id}/cancel", null))
                Assert.Equal(HttpStatusCode.Accepted, cancel.StatusCode);
            var cancelled = await JobTests.WaitForAsync(db, id, r => r.Status != "Running", TimeSpan.FromSeconds(15), () => worker.Log + JobTests.DescribeJobs(db));
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: cancelled {asked.ElapsedMilliseconds} ms after the request, at {rendering.Progress} %+");
            Assert.Equal("Cancelled", cancelled.Status);
            Assert.Empty(await JobTests.FfmpegRenderingAfterAsync(id, TimeSpan.FromSeconds(5)));
            Assert.False(worker.HasExited, worker.Log);
        }
        Assert.Empty(JobTests.Mp4Files(service.StorageRoot, id));
        Assert.Empty(JobTests.WebhooksFor(service.Webhooks, id));
        using (var again = await service.Client.PostAsync($"/videos/{id}/cancel", null))
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);

        await using var fast = service.StartWorker(preset: "ultrafast");
        using (var retry = await service.Client.PostAsync($"/videos/{id}/retry", null))
            Assert.Equal(HttpStatusCode.Accepted, retry.StatusCode);
        var done = await JobTests.WaitForAsync(db, id, r => r.Status is not ("Queued" or "Running") && r.Stage == "Done", TimeSpan.FromMinutes(5), () => fast.Log + JobTests.DescribeJobs(db));
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: {done}");
        Assert.Equal("Succeeded", done.Status);
        Assert.Equal(2, done.Attempt);
        Assert.Single(JobTests.Mp4Files(service.StorageRoot, id));
        Assert.Empty(JobTests.ScratchFolders(service.StorageRoot, id));
        await service.Webhooks.WaitForAsync(r => JobTests.WebhooksFor(service.Webhooks, id).Count > 0, TimeSpan.FromSeconds(60));

        using (var late = await service.Client.PostAsync($"/videos/{id}/cancel", null))
            Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        using (var retryDone = await service.Client.PostAsync($"/videos/{id}/retry", null))
            Assert.Equal(HttpStatusCode.Conflict, retryDone.StatusCode);
        using (var unknown = await service.Client.PostAsync($"/videos/{Guid.NewGuid()}/retry", null))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Single(JobTests.WebhooksFor(service.Webhooks, id));
    }
}
