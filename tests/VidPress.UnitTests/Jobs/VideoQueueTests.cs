using System.Text.RegularExpressions;
using VidPress.Core.Data;
using VidPress.Core.Jobs;

namespace VidPress.UnitTests.Jobs;

/// <summary>The queues' order (their names, as Hangfire.PostgreSql sorts them) and the Retry-After of a full queue (<see cref="Backpressure"/>).</summary>
public sealed partial class VideoQueueTests
{
    [Fact]
    public void Queue_names_sort_in_the_order_workers_should_serve_them()
    {
        // Hangfire.PostgreSql fetches ORDER BY "queue": alphabetical order is priority order.
        Assert.Equal([JobQueues.Breaking, JobQueues.Default, JobQueues.Gpu, JobQueues.Render, JobQueues.Ingest], JobQueues.All);
        Assert.Equal(JobQueues.All, JobQueues.All.Order(StringComparer.Ordinal));
        // Lowercase ASCII letters only: any database collation sorts them the same way.
        Assert.All(JobQueues.All, q => Assert.Matches(LowercaseLetters(), q));
        Assert.Equal(JobQueues.Breaking, JobQueues.ForVideo(VideoPriority.Breaking));
        Assert.Equal(JobQueues.Render, JobQueues.ForVideo(VideoPriority.Normal));
    }

    [Theory]
    [InlineData("render,default", "breaking,default,render,uploads")]
    [InlineData("default,render,gpu", "breaking,default,gpu,render,uploads")]
    [InlineData("gpu", "gpu")]
    [InlineData("render", "breaking,render")]
    [InlineData("uploads", "uploads")]
    public void A_server_for_videos_also_serves_breaking_ones_and_one_for_default_also_ingest(string configured, string served) =>
        Assert.Equal(served.Split(','), JobQueues.Served(configured.Split(',')));

    public static TheoryData<int, double, int, double, double, double> RetryAfterTable() => new()
    {
        // ahead  mean run s  workers  floor s  cap s   Retry-After s
        { 0,      60,         2,       5,       900,    60 },   // next start: one round of the workers
        { 9,      60,         2,       5,       900,    300 },  // ten to start, two at a time: five rounds
        { 3,      10,         1,       5,       900,    40 },
        { 0,      1,          4,       5,       900,    5 },    // the floor
        { 1000,   60,         2,       5,       900,    900 },  // the cap
        { 5,      0.4,        1,       1,       900,    3 },    // whole seconds, rounded up
        { 1,      10,         0,       1,       900,    20 },   // no worker announced: counted as one
        { 0,      0,          2,       5,       900,    5 },
    };

    [Theory, MemberData(nameof(RetryAfterTable))]
    public void Retry_after_is_the_rounds_of_workers_until_the_next_start_within_floor_and_cap(int ahead, double meanRunSeconds, int workers, double floor, double cap, double expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected),
            Backpressure.ForVideos(ahead, TimeSpan.FromSeconds(meanRunSeconds), workers, TimeSpan.FromSeconds(floor), TimeSpan.FromSeconds(cap)));

    public static TheoryData<long, double, int, double> IngestTable() => new()
    {
        // bytes beyond the limit  bytes/s a job  ingest workers  Retry-After s (floor 5, cap 900)
        { 100_000_000,             10_000_000,    1,              10 },
        { 100_000_000,             10_000_000,    2,              5 },    // two at once: 5 s
        { 1,                       10_000_000,    1,              5 },    // the floor
        { 100_000_000_000,         1_000_000,     1,              900 },  // the cap
        { 30_000_001,              10_000_000,    1,              5 },    // 3.0000001 s: rounded up, then the floor
        { 70_000_001,              10_000_000,    1,              8 },
    };

    [Theory, MemberData(nameof(IngestTable))]
    public void Retry_after_for_uploads_is_the_bytes_beyond_the_limit_at_the_ingest_speed_within_floor_and_cap(long excess, double bytesPerSecond, int workers, double expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), Backpressure.ForIngest(excess, bytesPerSecond, workers, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(900)));

    [GeneratedRegex("^[a-z]+$")]
    private static partial Regex LowercaseLetters();
}
