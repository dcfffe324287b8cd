using System.Diagnostics;
using Npgsql;
using VidPress.Core.Media;
using VidPress.Testing;
using Xunit.Abstractions;

namespace VidPress.IntegrationTests.Jobs;

/// <summary>Runs only where the test run names the PostgreSQL cluster it may stop (`./vidpress test` does).</summary>
public sealed class DatabaseOutageFactAttribute : FactAttribute
{
    public const string DataVariable = "VIDPRESS_PG_DATA";

    public DatabaseOutageFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(DataVariable)))
            Skip = $"{DataVariable} is not set: this test stops and restarts the PostgreSQL cluster in that data folder; `./vidpress test` sets it.";
    }
}

/// <summary>
/// Stopping the database stops every test that uses it, so this collection runs alone, after the
/// parallel ones (xunit runs collections with DisableParallelization on their own).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DatabaseOutageCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "database outage (runs alone)";
}

[Collection(DatabaseOutageCollection.Name)]
public sealed class DatabaseOutageTests(ServiceFixture service, ITestOutputHelper output)
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(4);

    [DatabaseOutageFact]
    public async Task Stopping_and_restarting_PostgreSQL_mid_job_loses_no_job()
    {
        var data = Environment.GetEnvironmentVariable(DatabaseOutageFactAttribute.DataVariable)!;
        EnsureSameCluster(data);
        var db = service.Database.ConnectionString;
        var id = await JobTests.PostVideoAsync(service.Client, new
        {
            text = JobTests.LongArticle(), language = "en", targetDurationSeconds = 45, aspectRatio = "16:9", resolution = "1080p",
            callbackUrl = service.Webhooks.BaseUrl + "/hooks/outage",
        });
        var midRender = await JobTests.WaitForAsync(db, id, r => r.Stage == "Render" && r.Progress > 40 || r.Status != "Queued" && r.Status != "Running", TimeSpan.FromMinutes(5));
        Assert.Equal("Running", midRender.Status);

        var clock = Stopwatch.StartNew();
        try
        {
            await PgCtlAsync(data, "-m", "fast", "stop");
            output.WriteLine($"stopped at {midRender.Progress} % of the render");
            await Task.Delay(Outage);
        }
        finally
        {
            await PgCtlAsync(data, "-l", Path.Combine(Path.GetDirectoryName(Path.GetFullPath(data))!, "postgres.log"), "-w", "-t", "60", "start");
            output.WriteLine($"database back after {clock.Elapsed.TotalSeconds:0.0} s");
        }

        var done = await JobTests.WaitForAsync(db, id, r => r.Status != "Queued" && r.Status != "Running" && r.Stage == "Done", TimeSpan.FromMinutes(5));
        output.WriteLine($"{done} {clock.Elapsed.TotalSeconds:0.0} s after the stop");
        Assert.Equal("Succeeded", done.Status);
        Assert.Single(JobTests.Mp4Files(service.StorageRoot, id));
        await service.Webhooks.WaitForAsync(r => JobTests.WebhooksFor(service.Webhooks, id).Count > 0, TimeSpan.FromSeconds(60));
        Assert.Single(JobTests.WebhooksFor(service.Webhooks, id));
    }

    /// <summary>Refuses to stop a cluster other than the one the tests use (a wrong variable would take down someone else's).</summary>
    private static void EnsureSameCluster(string data)
    {
        var pidFile = Path.Combine(data, "postmaster.pid");
        Assert.True(File.Exists(pidFile), $"{pidFile} not found: is the cluster in {data} running?");
        var port = int.Parse(File.ReadAllLines(pidFile)[3].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        var expected = new NpgsqlConnectionStringBuilder(TestDatabase.AdminConnectionString).Port;
        Assert.True(port == expected, $"The cluster in {data} listens on {port}, the tests use {expected}.");
    }

    private static async Task PgCtlAsync(string data, params string[] arguments)
    {
        // initdb and pg_ctl refuse root; the project's set-up runs the cluster as 'postgres'.
        var pgCtl = "/usr/lib/postgresql/15/bin/pg_ctl";
        string[] command = Environment.UserName == "root" ? ["runuser", "-u", "postgres", "--", pgCtl] : [pgCtl];
        var result = await ToolProcess.RunAsync(command[0], [.. command[1..], "-D", data, .. arguments], TimeSpan.FromSeconds(90));
        Assert.True(result.ExitCode == 0, $"pg_ctl {string.Join(' ', arguments)}: {result.StandardError}{result.StandardOutputText}");
    }
}
