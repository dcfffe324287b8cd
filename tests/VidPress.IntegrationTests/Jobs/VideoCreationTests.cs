using Microsoft.AspNetCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using VidPress.Api.Infrastructure;
using VidPress.Core.Data;
using VidPress.Core.Videos;
using VidPress.Testing;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>
/// A new video and its job stand or fall together: a soak found a request that met the database going away stored a
/// queued video with no job, which an idempotent retry then answered with for good.
/// </summary>
[Collection(SharedService.Name)]
public sealed class VideoCreationTests(ServiceFixture service)
{
    private static Video NewVideo() => new()
    {
        Id = Guid.NewGuid(),
        TenantId = Tenant.DefaultId,
        Request = new VideoRequest { Text = "A red circle rose over the city.", AspectRatio = "16:9", Resolution = "720p", TargetDurationSeconds = 10 },
    };

    /// <summary>A share no tenant here reaches: the new video is always handed over (its enqueue called).</summary>
    private const int AnyShare = 1000;

    private async Task<long> RowsAsync(Guid id) => await service.Database.ScalarAsync<long>($"select count(*) from videos where \"Id\" = '{id}'");

    [Fact]
    public async Task A_video_whose_job_cannot_be_enqueued_is_not_stored()
    {
        using var scope = service.Factory.Services.CreateScope();
        var lifecycle = scope.ServiceProvider.GetRequiredService<VideoLifecycle>();
        var video = NewVideo();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            lifecycle.CreateAsync(video, AnyShare, (_, _) => throw new InvalidOperationException("the queue is away"), CancellationToken.None));
        Assert.Equal("the queue is away", error.Message);
        Assert.Equal(0, await RowsAsync(video.Id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_job_that_starts_before_its_video_is_committed_waits_and_then_finds_the_video_or_none(bool enqueued)
    {
        using var apiScope = service.Factory.Services.CreateScope();
        using var workerScope = service.Factory.Services.CreateScope();
        var api = apiScope.ServiceProvider.GetRequiredService<VideoLifecycle>();
        var worker = workerScope.ServiceProvider.GetRequiredService<VideoLifecycle>();
        var video = NewVideo();
        Task<int?>? run = null;

        var create = api.CreateAsync(video, AnyShare, (_, _) =>
        {
            // The job is picked up at once, on another connection, while the insert is not committed yet.
            // (On the thread pool, so neither it nor the wait below needs the test's synchronisation context, which this callback blocks.)
            run = Task.Run(() => worker.TakeRunAsync(video.Id, CancellationToken.None));
            WaitUntilARunWaitsForItsVideo(run);
            if (!enqueued) throw new InvalidOperationException("the enqueue's answer was lost");
        }, CancellationToken.None);

        if (enqueued)
        {
            await create;
            Assert.Equal(1, await run!);
            Assert.Equal(1, await service.Database.ScalarAsync<int>($"select \"Attempt\" from videos where \"Id\" = '{video.Id}'"));
        }
        else
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => create);
            Assert.Null(await run!);
            Assert.Equal(0, await RowsAsync(video.Id));
        }
    }

    /// <summary>Blocks the enqueue until the run is seen waiting on its video's lock (or has already finished, which fails the test).</summary>
    private void WaitUntilARunWaitsForItsVideo(Task<int?> run) => Task.Run(async () =>
    {
        for (var i = 0; i < 200; i++)
        {
            Assert.False(run.IsCompleted, $"The run did not wait for the video's creation to commit: it answered {(run.IsCompletedSuccessfully ? run.Result : run.Exception)}.");
            if (await service.Database.ScalarAsync<long>("select count(*) from pg_locks where locktype = 'advisory' and not granted") > 0) return;
            await Task.Delay(50);
        }
        Assert.Fail("The run neither finished nor waited within 10 s.");
    }).GetAwaiter().GetResult();

    [Fact]
    public void A_refused_or_lost_database_connection_is_told_apart_from_a_bad_query()
    {
        Assert.True(DatabaseUnavailableProblems.IsDatabaseUnavailable(new RetryLimitExceededException("gave up", new NpgsqlException("down"))));
        Assert.True(DatabaseUnavailableProblems.IsDatabaseUnavailable(new NpgsqlException("refused", new System.Net.Sockets.SocketException(111))));
        Assert.True(DatabaseUnavailableProblems.IsDatabaseUnavailable(
            new InvalidOperationException("wrapped", new PostgresException("terminating connection due to administrator command", "FATAL", "FATAL", "57P01"))));
        Assert.True(DatabaseUnavailableProblems.IsDatabaseUnavailable(new PostgresException("the database system is starting up", "FATAL", "FATAL", "57P03")));
        Assert.False(DatabaseUnavailableProblems.IsDatabaseUnavailable(new PostgresException("syntax error", "ERROR", "ERROR", "42601")));
        Assert.False(DatabaseUnavailableProblems.IsDatabaseUnavailable(new PostgresException("duplicate key", "ERROR", "ERROR", "23505")));
        Assert.False(DatabaseUnavailableProblems.IsDatabaseUnavailable(new InvalidOperationException("a bug")));
        Assert.True(typeof(IExceptionHandler).IsAssignableFrom(typeof(DatabaseUnavailableProblems)));
    }
}
