using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VidPress.Core.Tenants;
using VidPress.Testing;
using Xunit.Abstractions;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>
/// A service of its own for the queue's rules: two in-process workers, each tenant's share two videos with them,
/// at most eight queued videos a tenant.
/// </summary>
public sealed class QueueFixture : ServiceFixture
{
    public const int Workers = 2;
    public const int Share = 2;
    public const int MaxQueued = 8;
    public const long MaxIngestBytes = 1_000_000;

    protected override IDictionary<string, string?>? Settings => new Dictionary<string, string?>
    {
        ["Jobs:WorkerCount"] = Workers.ToString(CultureInfo.InvariantCulture),
        ["Jobs:TenantShare"] = Share.ToString(CultureInfo.InvariantCulture),
        ["Jobs:MaxQueuedVideosPerTenant"] = MaxQueued.ToString(CultureInfo.InvariantCulture),
        ["Library:MaxIngestBytesInFlightPerTenant"] = MaxIngestBytes.ToString(CultureInfo.InvariantCulture),
    };
}

/// <summary>A video's queue timestamps as the service recorded them.</summary>
public sealed record QueueRow(Guid Id, Guid TenantId, string Priority, DateTimeOffset CreatedAt, DateTimeOffset? DispatchedAt, DateTimeOffset? StartedAt, DateTimeOffset? FinishedAt);

/// <summary>
/// Breaking news overtakes a backlog, one tenant's backlog does not hold up another's video, and a full queue is a
/// 429 with a Retry-After from the queue. Orders are read from the timestamps the service records (created,
/// handed to the workers, started, finished), never from the test's clock.
/// </summary>
public sealed class QueueTests(QueueFixture service, ITestOutputHelper output) : IClassFixture<QueueFixture>
{
    private static object TinyVideo(string title, string? priority = null) => new
    {
        text = $"{title} opened on Monday. Residents welcomed the news.", title, language = "en", targetDurationSeconds = 5,
        aspectRatio = "16:9", resolution = "720p", priority,
    };

    private async Task<Newsroom> NewsroomAsync(string name, bool allowBreaking = false)
    {
        var newsroom = await service.NewsroomAsync(name);
        if (allowBreaking)
        {
            await using var scope = service.Factory.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<TenantAdmin>().SetBreakingAsync(name, true, CancellationToken.None);
        }
        return newsroom;
    }

    private async Task<List<QueueRow>> RowsAsync(IEnumerable<Guid> ids)
    {
        await using var connection = new NpgsqlConnection(service.Database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """SELECT "Id", "TenantId", "Priority", "CreatedAt", "DispatchedAt", "StartedAt", "FinishedAt" FROM videos WHERE "Id" = ANY(@ids)""", connection);
        command.Parameters.AddWithValue("ids", ids.ToArray());
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<QueueRow>();
        while (await reader.ReadAsync())
            rows.Add(new QueueRow(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<DateTimeOffset>(4), reader.IsDBNull(5) ? null : reader.GetFieldValue<DateTimeOffset>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6)));
        return rows;
    }

    private async Task WaitForAllAsync(Newsroom newsroom, IEnumerable<Guid> ids)
    {
        foreach (var id in ids)
        {
            var video = await newsroom.WaitForVideoAsync(id, TimeSpan.FromMinutes(5));
            Assert.Equal(Core.Data.VideoStatus.Succeeded, video.Status);
        }
    }

    [Fact]
    public async Task A_breaking_video_overtakes_the_videos_waiting_for_the_workers()
    {
        var first = await NewsroomAsync("queue-backlog-one");
        var second = await NewsroomAsync("queue-backlog-two");
        var urgent = await NewsroomAsync("queue-breaking", allowBreaking: true);
        var backlog = new List<Guid>();
        for (var i = 0; i < 4; i++)
        {
            backlog.Add(await first.Client.PostVideoAsync(TinyVideo($"Bridge {i}")));
            backlog.Add(await second.Client.PostVideoAsync(TinyVideo($"Ferry {i}")));
        }
        var breaking = await urgent.Client.PostVideoAsync(TinyVideo("Earthquake", "breaking"));
        Assert.Equal(Core.Data.VideoPriority.Breaking, (await urgent.Client.GetVideoAsync(breaking)).Priority);

        await WaitForAllAsync(urgent, [breaking]);
        await WaitForAllAsync(first, backlog.Where((_, i) => i % 2 == 0));
        await WaitForAllAsync(second, backlog.Where((_, i) => i % 2 == 1));

        var rows = await RowsAsync([.. backlog, breaking]);
        var b = rows.Single(r => r.Id == breaking);
        var others = rows.Where(r => r.Id != breaking).ToList();
        // There was something to overtake: at least one video per worker was with the workers, waiting, when it came.
        var waiting = others.Count(r => r.DispatchedAt < b.CreatedAt && r.StartedAt > b.CreatedAt);
        Assert.True(waiting >= QueueFixture.Workers, $"only {waiting} videos were waiting with the workers when the breaking one came");
        // A first-come queue would have started all of them first; the breaking queue lets at most the other worker,
        // freed at the same moment, take one.
        var startedBetween = others.Count(r => r.StartedAt > b.CreatedAt && r.StartedAt < b.StartedAt);
        Assert.True(startedBetween <= QueueFixture.Workers - 1, $"{startedBetween} videos that were waiting started before the breaking video");

        var runs = others.Select(r => (r.FinishedAt!.Value - r.StartedAt!.Value).TotalSeconds).ToList();
        output.WriteLine(FormattableString.Invariant(
            $"breaking video: waited {(b.StartedAt!.Value - b.CreatedAt).TotalSeconds:0.00} s, ran {(b.FinishedAt!.Value - b.StartedAt.Value).TotalSeconds:0.00} s; backlog runs mean {runs.Average():0.00} s, max {runs.Max():0.00} s; {waiting} were waiting"));
    }

    [Fact]
    public async Task A_tenants_backlog_holds_up_another_tenants_video_by_at_most_its_share()
    {
        var busy = await NewsroomAsync("queue-busy");
        var quiet = await NewsroomAsync("queue-quiet");
        var backlog = new List<Guid>();
        for (var i = 0; i < 6; i++) backlog.Add(await busy.Client.PostVideoAsync(TinyVideo($"Import {i}")));
        var single = await quiet.Client.PostVideoAsync(TinyVideo("Council vote"));

        await WaitForAllAsync(quiet, [single]);
        await WaitForAllAsync(busy, backlog);

        var rows = await RowsAsync([.. backlog, single]);
        var one = rows.Single(r => r.Id == single);
        var theirs = rows.Where(r => r.Id != single).ToList();
        // The backlog was held back in part when the other tenant's video came (a first-come queue would hold it all).
        Assert.Contains(theirs, r => r.DispatchedAt > one.CreatedAt);
        Assert.All(theirs, r => Assert.NotNull(r.DispatchedAt));
        // Ahead of it: the tenant's share, and a replacement for each of its runs that ended before it came.
        var startedBefore = theirs.Count(r => r.StartedAt < one.StartedAt);
        var endedBefore = theirs.Count(r => r.FinishedAt < one.CreatedAt);
        Assert.True(startedBefore <= QueueFixture.Share + endedBefore, $"{startedBefore} of the backlog started first ({endedBefore} had finished before it came)");
        output.WriteLine(FormattableString.Invariant($"other tenant's video waited {(one.StartedAt!.Value - one.CreatedAt).TotalSeconds:0.00} s behind a backlog of {backlog.Count}; {startedBefore} started before it"));
    }

    [Fact]
    public async Task A_tenant_with_a_full_queue_gets_429_with_a_retry_after_from_the_queue_and_no_video()
    {
        var flooding = await NewsroomAsync("queue-full");
        var accepted = new List<Guid>();
        HttpResponseMessage? refused = null;
        // Running videos are no longer queued: at most one per worker more than the limit is accepted.
        for (var i = 0; i < QueueFixture.MaxQueued + QueueFixture.Workers + 1 && refused is null; i++)
        {
            var post = await flooding.Client.PostAsJsonAsync("/videos", TinyVideo($"Report {i}"));
            if (post.StatusCode == HttpStatusCode.Accepted) accepted.Add((await post.ReadAsync<VidPress.Api.Videos.VideoResponse>()).Id);
            else refused = post;
        }
        try
        {
            Assert.NotNull(refused);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var problem = await Problems.ProblemAsync(refused);
            Assert.Contains("queued", problem.GetProperty("detail").GetString());
            var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
            // Within the default floor and cap (5 s, 15 min), and named in the answer.
            Assert.InRange(retryAfter, 5, 900);
            Assert.Contains($"{retryAfter} s", problem.GetProperty("detail").GetString());
            Assert.InRange(accepted.Count, QueueFixture.MaxQueued, QueueFixture.MaxQueued + QueueFixture.Workers);
            Assert.Equal(accepted.Count, await service.Database.ScalarAsync<long>($"select count(*) from videos where \"TenantId\" = '{flooding.TenantId}'"));

            // What the dashboard shows: every queue, and this tenant's videos beyond its share held back.
            var view = await flooding.Client.GetAsync<Core.Jobs.QueueView>("/videos/queue");
            Assert.Equal(Core.Jobs.JobQueues.All, view.Queues.Select(q => q.Name));
            Assert.InRange(view.WithWorkers, 0, QueueFixture.Share);
            Assert.True(view.Held >= accepted.Count - QueueFixture.Share - QueueFixture.Workers, $"{view.Held} held of {accepted.Count}");
            Assert.Equal(QueueFixture.MaxQueued, view.MaxQueued);
        }
        finally
        {
            foreach (var id in accepted) (await flooding.Client.PostAsync($"/videos/{id}/cancel", null)).Dispose();
            refused?.Dispose();
        }
    }

    [Fact]
    public async Task An_upload_beyond_the_tenants_bytes_waiting_for_ingest_gets_429_and_is_not_stored()
    {
        var newsroom = await NewsroomAsync("queue-ingest-full");
        // The tenant's earlier uploads, waiting for ingest: exactly its limit (a row as the upload stores it, its job not run yet).
        var waiting = Guid.NewGuid();
        await using (var scope = service.Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<Core.Data.VidPressDbContext>();
            db.Assets.Add(new Core.Data.Asset
            {
                Id = waiting, TenantId = newsroom.TenantId, Kind = Core.Library.AssetKind.Video, Status = Core.Data.AssetStatus.Ingesting, Title = "Archive reel",
                FileName = "reel.mp4", StorageKey = $"t/{newsroom.TenantId}/reel.mp4", Sha256 = new string('0', 64), SizeBytes = QueueFixture.MaxIngestBytes,
                CreatedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }
        var clip = await Media.ShapeClipAsync(service.WorkFolder, "blue-square", 2);
        string Assets() => $"select count(*) from assets where \"TenantId\" = '{newsroom.TenantId}'";

        using (var refused = await newsroom.Client.UploadAsync("/library/assets", clip))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var detail = (await Problems.ProblemAsync(refused)).GetProperty("detail").GetString()!;
            var retryAfter = int.Parse(Assert.Single(refused.Headers.GetValues("Retry-After")), CultureInfo.InvariantCulture);
            Assert.InRange(retryAfter, 5, 900);
            Assert.Contains($"{retryAfter} s", detail);
            Assert.Contains(QueueFixture.MaxIngestBytes.ToString(CultureInfo.InvariantCulture), detail);
        }
        Assert.Equal(1, await service.Database.ScalarAsync<long>(Assets()));

        // Once that ingest is over (here: failed), the upload goes in.
        await service.Database.ExecuteAsync("update assets set \"Status\" = 'Failed' where \"Id\" = @id", ("id", waiting));
        await newsroom.Client.UploadAssetAsync(clip);
        Assert.Equal(2, await service.Database.ScalarAsync<long>(Assets()));
    }

    [Fact]
    public async Task A_held_video_whose_hand_over_was_missed_is_handed_over_by_the_sweep_and_a_cancelled_one_never()
    {
        var newsroom = await NewsroomAsync("queue-sweep");
        await using var scope = service.Factory.Services.CreateAsyncScope();
        var lifecycle = scope.ServiceProvider.GetRequiredService<Core.Videos.VideoLifecycle>();
        // A recording enqueue: these videos never reach Hangfire, so only the rule and the database are at work.
        var enqueued = new List<Guid>();
        Core.Data.Video NewVideo() => new()
        {
            Id = Guid.NewGuid(), TenantId = newsroom.TenantId,
            Request = new Core.Data.VideoRequest { Text = "The ferry resumed service.", AspectRatio = "16:9", Resolution = "720p", TargetDurationSeconds = 5 },
        };
        var first = NewVideo();
        var second = NewVideo();
        var third = NewVideo();
        foreach (var video in new[] { first, second, third })
            await lifecycle.CreateAsync(video, share: 1, (id, _) => enqueued.Add(id), CancellationToken.None);
        Assert.Equal([first.Id], enqueued);

        // The first one's run ended, and the worker died before it handed its tenant's next video over; the third is cancelled meanwhile.
        await service.Database.ExecuteAsync("update videos set \"Status\" = 'Succeeded', \"FinishedAt\" = now() where \"Id\" = @id", ("id", first.Id));
        await lifecycle.RequestCancelAsync(newsroom.TenantId, third.Id, CancellationToken.None);

        Assert.Equal(1, await lifecycle.DispatchHeldAsync(null, share: 1, (id, _) => enqueued.Add(id), CancellationToken.None));
        Assert.Equal([first.Id, second.Id], enqueued);
        // Nothing is handed over twice: the second is with the workers, the third cancelled.
        Assert.Equal(0, await lifecycle.DispatchHeldAsync(null, share: 5, (id, _) => enqueued.Add(id), CancellationToken.None));
        Assert.Equal(0, await service.Database.ScalarAsync<long>($"select count(*) from videos where \"Id\" = '{third.Id}' and \"DispatchedAt\" is not null"));
    }

    [Fact]
    public async Task Breaking_priority_is_refused_unless_the_tenant_is_allowed_it_and_an_unknown_priority_is_400()
    {
        var newsroom = await NewsroomAsync("queue-not-allowed");
        using var forbidden = await newsroom.Client.PostAsJsonAsync("/videos", TinyVideo("Storm", "breaking"));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
        Assert.Contains("admin breaking", (await Problems.ProblemAsync(forbidden)).GetProperty("detail").GetString());
        using var unknown = await newsroom.Client.PostAsJsonAsync("/videos", TinyVideo("Storm", "urgent"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.True((await Problems.ProblemAsync(unknown)).GetProperty("errors").TryGetProperty("priority", out _));
        Assert.Equal(0, await service.Database.ScalarAsync<long>($"select count(*) from videos where \"TenantId\" = '{newsroom.TenantId}'"));
    }
}
